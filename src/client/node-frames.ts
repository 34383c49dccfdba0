import { isErrorCode, QuartetError } from '../core/errors.js';
import type { WireLimits } from '../core/messages.js';
import { isNonNegativeInteger } from '../protocol/validate-fields.js';

// What the client reads out of a node's frames besides results: its limits, its errors.

/** The limits in a node's welcome, when it sent them whole. */
export function limitsOf(welcome: Record<string, unknown>): WireLimits | undefined {
  const limits = welcome.limits as Partial<Record<keyof WireLimits, unknown>> | undefined;
  if (typeof limits !== 'object' || limits === null) return undefined;
  const { keyBytesMax, valueBytesMax, frameBytesMax } = limits;
  if (![keyBytesMax, valueBytesMax, frameBytesMax].every(isNonNegativeInteger)) return undefined;
  return limits as WireLimits;
}

export function toQuartetError(raw: unknown): QuartetError {
  const fields = (raw ?? {}) as { code?: unknown; message?: unknown };
  const code = isErrorCode(fields.code) ? fields.code : 'INTERNAL';
  const message =
    typeof fields.message === 'string' ? fields.message : 'The node reported an error.';
  return new QuartetError(code, message);
}
