import assert from 'node:assert/strict';
import type { ExecutionContext } from 'ava';
import { QuartetError, type ErrorCode } from '../../src/core/errors.js';

/** For properties: `error` must be a QuartetError with one of `codes`, or the property fails. */
export function assertQuartetError(error: unknown, codes: readonly ErrorCode[]): void {
  assert.ok(error instanceof QuartetError, `expected a QuartetError, got ${String(error)}`);
  assert.ok(codes.includes(error.code), `unexpected code ${error.code}: ${error.message}`);
}

/** `run` throws a QuartetError with `code`; returns it for more checks. */
export function throwsCode(t: ExecutionContext, run: () => unknown, code: ErrorCode): QuartetError {
  const error = t.throws(run, { instanceOf: QuartetError });
  t.is(error?.code, code, error?.message);
  return error!;
}
