import { validateControl } from './control.js';
import type { Timestamp } from '../core/clock.js';
import { isErrorCode, QuartetError } from '../core/errors.js';
import { isLevelName, levelNames, type LevelName } from '../core/levels.js';
import type { AuthOk, ClientRequest, PeerRequest, PeerReply } from '../core/messages.js';
import type { Version } from '../core/version.js';
import { nonceBytes } from './handshake.js';
import { traceOpMax } from './limits.js';

export interface SizeLimits {
  keyBytesMax: number;
  valueBytesMax: number;
}

type Fields = Record<string, unknown>;

const clientTypes = new Set([
  'get',
  'put',
  'delete',
  'stats',
  'dump',
  'local',
  'anti-entropy',
  'operator',
  'control',
  'trace-start',
  'trace-stop',
  'trace-flush',
]);
const peerTypes = new Set(['read', 'write', 'repair', 'ping', 'tree', 'range']);

/** Whether a decoded frame asks for something only an authenticated peer may do. */
export function isPeerRequestType(type: unknown): boolean {
  return typeof type === 'string' && peerTypes.has(type);
}

/** The request id of an untrusted message, or 0 when it has none, for error replies. */
export function requestIdOf(message: unknown): number {
  const id = Array.isArray(message) ? (message[1] as unknown) : isObject(message) ? message.id : 0;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : 0;
}

/** Checks an untrusted frame from a client or peer and returns it typed, or throws BAD_REQUEST/TOO_LARGE. */
export function validateRequest(message: unknown, limits: SizeLimits): ClientRequest | PeerRequest {
  const fields = expectObject(message, 'request');
  const type = fields.type;
  if (type === 'auth') {
    return {
      type,
      from: expectNodeId(fields.from, 'from'),
      nonce: expectNonce(fields.nonce),
      mac: expectBytes(fields.mac, 'mac'),
    };
  }
  if (typeof type !== 'string' || !(clientTypes.has(type) || peerTypes.has(type))) {
    throw badRequest(
      `Unknown request type ${quote(type)}; expected one of ${[...clientTypes, ...peerTypes].join(', ')}.`,
    );
  }
  const id = expectId(fields.id);
  switch (type) {
    case 'get':
    case 'delete': {
      const key = expectKey(fields.key, limits);
      const level = expectLevel(fields.level);
      const request: ClientRequest =
        level === undefined ? { type, id, key } : { type, id, key, level };
      return withTraceOp(request, fields.traceOp);
    }
    case 'put': {
      const op = fields.op;
      if (op !== 'insert' && op !== 'update')
        throw badRequest('Field `op` must be "insert" or "update".');
      const key = expectKey(fields.key, limits);
      const value = expectValue(fields.value, limits);
      const level = expectLevel(fields.level);
      const request: ClientRequest =
        level === undefined ? { type, id, op, key, value } : { type, id, op, key, value, level };
      return withTraceOp(request, fields.traceOp);
    }
    case 'stats':
    case 'dump':
      return { type, id };
    case 'local':
      return { type, id, key: expectKey(fields.key, limits) };
    case 'anti-entropy':
      return fields.peers === undefined || fields.peers === null
        ? { type, id }
        : { type, id, peers: expectNodeIds(fields.peers, 'peers') };
    case 'operator':
      return { type, id, nonce: expectNonce(fields.nonce), mac: expectBytes(fields.mac, 'mac') };
    case 'control':
      return { type, id, control: validateControl(fields.control) };
    case 'trace-start': {
      const originUs = fields.originUs;
      if (typeof originUs !== 'number' || !Number.isSafeInteger(originUs) || originUs <= 0)
        throw badRequest(
          `Field \`originUs\` must be the operator's start on the host clock in µs; got ${quote(originUs)}.`,
        );
      return { type, id, originUs };
    }
    case 'trace-stop':
    case 'trace-flush':
      return { type, id };
    case 'read':
      return { type, id, key: expectKey(fields.key, limits) };
    case 'ping':
      return { type, id };
    case 'tree':
      return { type, id, depth: expectDepth(fields.depth) };
    case 'range': {
      const depth = expectDepth(fields.depth);
      return { type, id, depth, leaves: expectLeaves(fields.leaves, depth) };
    }
    default:
      return {
        type: type as 'write' | 'repair',
        id,
        key: expectKey(fields.key, limits),
        version: expectVersion(fields.version, limits),
      };
  }
}

// A data request's optional `traceOp` (the history's id of the operation, for the trace).
function withTraceOp<T extends ClientRequest>(request: T, traceOp: unknown): T {
  const op = expectTraceOp(traceOp);
  return op === undefined ? request : { ...request, traceOp: op };
}

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

/** Checks the listener's answer to this node's auth: `auth-ok` with its proof. */
export function validateAuthOk(message: unknown): AuthOk {
  const fields = expectObject(message, 'handshake answer');
  if (fields.type !== 'auth-ok')
    throw badRequest(`Expected the peer's \`auth-ok\`, got ${quote(fields.type)}.`);
  return { type: 'auth-ok', mac: expectBytes(fields.mac, 'mac') };
}

/** Checks a reply a peer sent to one of this node's requests. */
export function validatePeerReply(message: unknown, limits: SizeLimits): PeerReply {
  const fields = expectObject(message, 'reply');
  const id = expectId(fields.id);
  switch (fields.type) {
    case 'read-reply':
      return fields.version === undefined || fields.version === null
        ? { type: 'read-reply', id }
        : { type: 'read-reply', id, version: expectVersion(fields.version, limits) };
    case 'write-reply': {
      const reply: PeerReply = {
        type: 'write-reply',
        id,
        created: fields.created === true,
        applied: fields.applied === true,
      };
      if (fields.before !== undefined && fields.before !== null)
        reply.before = expectTimestamp(fields.before);
      return reply;
    }
    case 'tree-reply': {
      const depth = expectDepth(fields.depth);
      const nodes = fields.nodes;
      if (
        !Array.isArray(nodes) ||
        nodes.length !== 2 << depth ||
        !nodes.every(isNonNegativeInteger)
      ) {
        throw badRequest(`Field \`nodes\` must hold ${2 << depth} non-negative integers.`);
      }
      return { type: 'tree-reply', id, depth, nodes };
    }
    case 'range-reply': {
      const entries = fields.entries;
      if (!Array.isArray(entries)) throw badRequest('Field `entries` must be an array.');
      const served = fields.served;
      if (!isNonNegativeInteger(served)) throw badRequest('Field `served` must be a count.');
      return {
        type: 'range-reply',
        id,
        served,
        entries: entries.map((entry) => {
          const e = expectObject(entry, 'entry');
          return { key: expectKey(e.key, limits), version: expectVersion(e.version, limits) };
        }),
      };
    }
    case 'error': {
      const error = expectObject(fields.error, 'error');
      const code = isErrorCode(error.code) ? error.code : 'INTERNAL';
      const message = typeof error.message === 'string' ? error.message : 'A peer failed.';
      return { type: 'error', id, error: { code, message } };
    }
    default:
      throw badRequest(`Unknown reply type ${quote(fields.type)} from a peer.`);
  }
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

function expectDepth(raw: unknown): number {
  if (!isNonNegativeInteger(raw) || raw > merkleDepthMax) {
    throw badRequest(`Field \`depth\` must be an integer from 0 to ${merkleDepthMax}.`);
  }
  return raw;
}

function expectLeaves(raw: unknown, depth: number): number[] {
  if (
    !Array.isArray(raw) ||
    !raw.every((leaf) => isNonNegativeInteger(leaf) && leaf < 1 << depth)
  ) {
    throw badRequest(`Field \`leaves\` must be leaf numbers below ${1 << depth}.`);
  }
  return raw as number[];
}

function expectNodeIds(raw: unknown, field: string): number[] {
  if (!Array.isArray(raw)) throw badRequest(`Field \`${field}\` must be an array of node ids.`);
  return raw.map((id) => expectNodeId(id, field));
}

function expectVersion(raw: unknown, limits: SizeLimits): Version {
  const fields = expectObject(raw, 'version');
  const value = fields.value === null ? null : expectValue(fields.value, limits);
  return { value, ts: expectTimestamp(fields.ts) };
}

function expectTimestamp(raw: unknown): Timestamp {
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

function expectNodeId(raw: unknown, field: string): number {
  if (!isNonNegativeInteger(raw) || raw === 0)
    throw badRequest(`Field \`${field}\` must be a node id (1..N).`);
  return raw;
}

function expectBytes(raw: unknown, field: string): Uint8Array {
  if (!(raw instanceof Uint8Array)) throw badRequest(`Field \`${field}\` must be binary.`);
  return raw;
}

function expectNonce(raw: unknown): Uint8Array {
  const nonce = expectBytes(raw, 'nonce');
  if (nonce.length !== nonceBytes)
    throw badRequest(`Field \`nonce\` must be ${nonceBytes} bytes, got ${nonce.length}.`);
  return nonce;
}

function expectObject(raw: unknown, what: string): Fields {
  if (!isObject(raw)) throw badRequest(`Expected the ${what} to be a map, got ${describe(raw)}.`);
  return raw;
}

function isObject(raw: unknown): raw is Fields {
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
