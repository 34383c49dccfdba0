// The validators of whole messages: client and peer requests, peer replies, the handshake's
// answer. Their fields are checked by validate-fields.ts.
import { validateControl } from './control.js';
import { isErrorCode } from '../core/errors.js';
import type { AuthOk, ClientRequest, PeerRequest, PeerReply } from '../core/messages.js';
import {
  badRequest,
  expectBytes,
  expectDepth,
  expectId,
  expectKey,
  expectLeaves,
  expectLevel,
  expectNodeId,
  expectNodeIds,
  expectNonce,
  expectObject,
  expectTimestamp,
  expectTraceOp,
  expectValue,
  expectVersion,
  isNonNegativeInteger,
  isObject,
  quote,
  type Fields,
  type SizeLimits,
} from './validate-fields.js';

export type { SizeLimits } from './validate-fields.js';

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
