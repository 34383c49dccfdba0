// The field checks every message validator uses: keys, values, levels, ids, timestamps,
// versions, nonces; each throws BAD_REQUEST (or TOO_LARGE) saying which field and why.
import type { Timestamp } from '../core/clock.js';
import { QuartetError } from '../core/errors.js';
import { isLevelName, levelNames, type LevelName } from '../core/levels.js';
import type { Version } from '../core/version.js';
import { nonceBytes } from './handshake.js';
import { traceOpMax } from './limits.js';

export interface SizeLimits {
  keyBytesMax: number;
  valueBytesMax: number;
}

export type Fields = Record<string, unknown>;

/** A data request's optional trace operation id (nil or absent: none), or BAD_REQUEST. */
export function expectTraceOp(traceOp: unknown): number | undefined {
  if (traceOp === undefined || traceOp === null) return undefined;
  if (
    typeof traceOp !== 'number' ||
    !Number.isSafeInteger(traceOp) ||
    traceOp < 1 ||
    traceOp > traceOpMax
  )
    throw badRequest(
      `Field \`traceOp\` must be an operation id from 1 to ${traceOpMax}; got ${quote(traceOp)}.`,
    );
  return traceOp;
}

/** A request's optional level (nil or absent: the node's default), or BAD_REQUEST. */
export function expectLevel(level: unknown): LevelName | undefined {
  if (level === undefined || level === null) return undefined;
  if (!isLevelName(level)) {
    throw badRequest(`Unknown level ${quote(level)}; use one of ${levelNames.join(', ')}.`);
  }
  return level;
}

/** Merkle tree depth: 2^depth key ranges. */
export const merkleDepthMax = 16;

export function expectDepth(raw: unknown): number {
  if (!isNonNegativeInteger(raw) || raw > merkleDepthMax) {
    throw badRequest(`Field \`depth\` must be an integer from 0 to ${merkleDepthMax}.`);
  }
  return raw;
}

export function expectLeaves(raw: unknown, depth: number): number[] {
  if (
    !Array.isArray(raw) ||
    !raw.every((leaf) => isNonNegativeInteger(leaf) && leaf < 1 << depth)
  ) {
    throw badRequest(`Field \`leaves\` must be leaf numbers below ${1 << depth}.`);
  }
  return raw as number[];
}

export function expectNodeIds(raw: unknown, field: string): number[] {
  if (!Array.isArray(raw)) throw badRequest(`Field \`${field}\` must be an array of node ids.`);
  return raw.map((id) => expectNodeId(id, field));
}

export function expectVersion(raw: unknown, limits: SizeLimits): Version {
  const fields = expectObject(raw, 'version');
  const value = fields.value === null ? null : expectValue(fields.value, limits);
  return { value, ts: expectTimestamp(fields.ts) };
}

export function expectTimestamp(raw: unknown): Timestamp {
  const { wallMs, counter, nodeId } = expectObject(raw, 'ts');
  return timestampOf(wallMs, counter, nodeId, 'Field `ts` must be {wallMs, counter, nodeId}');
}

/** A timestamp from its three untrusted fields, or BAD_REQUEST starting with `what`. */
export function timestampOf(
  wallMs: unknown,
  counter: unknown,
  nodeId: unknown,
  what: string,
): Timestamp {
  if (
    !isNonNegativeInteger(wallMs) ||
    !isNonNegativeInteger(counter) ||
    !isNonNegativeInteger(nodeId)
  ) {
    throw badRequest(`${what} of non-negative integers.`);
  }
  return { wallMs, counter, nodeId };
}

/** UTF-8 takes at most this many bytes per UTF-16 unit: a string this short needs no count. */
const utf8BytesPerUnitMax = 3;

export function expectKey(raw: unknown, limits: SizeLimits): string {
  if (typeof raw !== 'string' || raw.length === 0)
    throw badRequest('Field `key` must be a non-empty string.');
  if (raw.length * utf8BytesPerUnitMax <= limits.keyBytesMax) return raw;
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes > limits.keyBytesMax) {
    throw new QuartetError(
      'TOO_LARGE',
      `Key of ${bytes} bytes is over the limit of ${limits.keyBytesMax} bytes; use a shorter key.`,
    );
  }
  return raw;
}

export function expectValue(raw: unknown, limits: SizeLimits): string {
  if (typeof raw !== 'string') throw badRequest('Field `value` must be a string.');
  if (raw.length * utf8BytesPerUnitMax <= limits.valueBytesMax) return raw;
  if (raw.length > limits.valueBytesMax || Buffer.byteLength(raw, 'utf8') > limits.valueBytesMax) {
    throw new QuartetError(
      'TOO_LARGE',
      `Value of ${Buffer.byteLength(raw, 'utf8')} bytes is over the limit of ${limits.valueBytesMax} bytes; store a smaller value.`,
    );
  }
  return raw;
}

export function expectId(raw: unknown): number {
  if (!isNonNegativeInteger(raw)) throw badRequest('Field `id` must be a non-negative integer.');
  return raw;
}

export function expectNodeId(raw: unknown, field: string): number {
  if (!isNonNegativeInteger(raw) || raw === 0)
    throw badRequest(`Field \`${field}\` must be a node id (1..N).`);
  return raw;
}

export function expectBytes(raw: unknown, field: string): Uint8Array {
  if (!(raw instanceof Uint8Array)) throw badRequest(`Field \`${field}\` must be binary.`);
  return raw;
}

export function expectNonce(raw: unknown): Uint8Array {
  const nonce = expectBytes(raw, 'nonce');
  if (nonce.length !== nonceBytes)
    throw badRequest(`Field \`nonce\` must be ${nonceBytes} bytes, got ${nonce.length}.`);
  return nonce;
}

export function expectObject(raw: unknown, what: string): Fields {
  if (!isObject(raw)) throw badRequest(`Expected the ${what} to be a map, got ${describe(raw)}.`);
  return raw;
}

export function isObject(raw: unknown): raw is Fields {
  return (
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !(raw instanceof Uint8Array)
  );
}

export function isNonNegativeInteger(raw: unknown): raw is number {
  return typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0;
}

// Untrusted values can hold a BigInt (MessagePack 64-bit integers), which JSON.stringify rejects.
/** Untrusted values echoed in a message are cut to this many characters. */
const echoCharsMax = 64;

export function quote(raw: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    return describe(raw);
  }
  return text.length > echoCharsMax ? `${text.slice(0, echoCharsMax)}…` : text;
}

function describe(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  return typeof raw;
}

export function badRequest(message: string): QuartetError {
  return new QuartetError('BAD_REQUEST', message);
}
