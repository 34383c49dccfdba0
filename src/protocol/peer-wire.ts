import type { Timestamp } from '../core/clock.js';
import type { PeerReply, PeerRequest } from '../core/messages.js';
import type { Version } from '../core/version.js';
import {
  badRequest,
  expectId,
  expectKey,
  expectValue,
  quote,
  timestampOf,
  type SizeLimits,
} from './validate-fields.js';

/**
 * The messages of every operation travel between nodes as positional MessagePack arrays, not
 * maps: no field names to write and read, a third of the bytes, and a decode that builds the
 * typed message in one step. The first element says which message it is.
 *
 *   read         [1, id, key, op?]
 *   write        [2, id, key, value | nil, wallMs, counter, nodeId, op?]
 *   repair       [3, id, key, value | nil, wallMs, counter, nodeId, op?]
 *
 * `op` (an operation id or nil) rides along only when the run is traced (docs/trace.md).
 *   ping         [4, id]
 *   read-reply   [5, id]  or  [5, id, value | nil, wallMs, counter, nodeId]
 *   write-reply  [6, id, created, applied]  or  [6, id, created, applied, wallMs, counter, nodeId]
 *
 * Rarer peer messages (auth, tree, range and their replies, errors) stay maps.
 */
/** A peer request before the link gives it an id. */
export type PeerRequestBody = PeerRequest extends infer R
  ? R extends { type: 'auth' }
    ? never
    : R extends { id: number }
      ? Omit<R, 'id'>
      : never
  : never;

export type PeerWireRequest = Extract<PeerRequest, { type: 'read' | 'write' | 'repair' | 'ping' }>;
export type PeerWireReply = Extract<PeerReply, { type: 'read-reply' | 'write-reply' }>;

const tagRead = 1;
const tagWrite = 2;
const tagRepair = 3;
const tagPing = 4;
const tagReadReply = 5;
const tagWriteReply = 6;

/** The wire form of a request with its id: an array for the per-operation ones, else the map. */
export function encodePeerRequest(body: PeerRequestBody, id: number): unknown {
  switch (body.type) {
    case 'read':
      if (body.op !== undefined) return [tagRead, id, body.key, body.op];
      return [tagRead, id, body.key];
    case 'write':
    case 'repair': {
      const { value, ts } = body.version;
      const tag = body.type === 'write' ? tagWrite : tagRepair;
      // Whole, not pushed to: a push past the literal's length copies the array into a larger one.
      if (body.op !== undefined)
        return [tag, id, body.key, value, ts.wallMs, ts.counter, ts.nodeId, body.op];
      return [tag, id, body.key, value, ts.wallMs, ts.counter, ts.nodeId];
    }
    case 'ping':
      return [tagPing, id];
    default:
      return { ...body, id };
  }
}

export function encodePeerReply(reply: PeerReply): unknown {
  switch (reply.type) {
    case 'read-reply': {
      const { id, version } = reply;
      if (version === undefined) return [tagReadReply, id];
      const { ts } = version;
      return [tagReadReply, id, version.value, ts.wallMs, ts.counter, ts.nodeId];
    }
    case 'write-reply': {
      const { id, created, applied, before } = reply;
      if (before === undefined) return [tagWriteReply, id, created, applied];
      return [tagWriteReply, id, created, applied, before.wallMs, before.counter, before.nodeId];
    }
    default:
      return reply;
  }
}

/** Decodes and checks a request array from an authenticated peer, or throws BAD_REQUEST. */
export function decodePeerRequest(wire: unknown[], limits: SizeLimits): PeerWireRequest {
  const id = expectId(wire[1]);
  switch (wire[0]) {
    case tagRead: {
      if (wire.length !== 4) expectLength(wire, 3, 'read');
      const key = expectKey(wire[2], limits);
      // With the op in the literal: added after, it would take a property array of its own.
      if (wire.length === 4) return { type: 'read', id, key, op: tracedOp(wire[3]) };
      return { type: 'read', id, key };
    }
    case tagWrite:
    case tagRepair: {
      if (wire.length !== 8) expectLength(wire, 7, 'write');
      const type = wire[0] === tagWrite ? 'write' : 'repair';
      const key = expectKey(wire[2], limits);
      const version = versionAt(wire, 3, limits);
      if (wire.length === 8) return { type, id, key, version, op: tracedOp(wire[7]) };
      return { type, id, key, version };
    }
    case tagPing:
      expectLength(wire, 2, 'ping');
      return { type: 'ping', id };
    default:
      throw badRequest(`Unknown peer message tag ${quote(wire[0])}; expected 1 to 4.`);
  }
}

/** Decodes and checks a reply array from a peer, or throws BAD_REQUEST. */
export function decodePeerReply(wire: unknown[], limits: SizeLimits): PeerWireReply {
  const id = expectId(wire[1]);
  switch (wire[0]) {
    case tagReadReply:
      if (wire.length === 2) return { type: 'read-reply', id };
      expectLength(wire, 6, 'read-reply');
      return { type: 'read-reply', id, version: versionAt(wire, 2, limits) };
    case tagWriteReply: {
      const created = wire[2] === true;
      const applied = wire[3] === true;
      if (wire.length === 4) return { type: 'write-reply', id, created, applied };
      expectLength(wire, 7, 'write-reply');
      return { type: 'write-reply', id, created, applied, before: timestampAt(wire, 4) };
    }
    default:
      throw badRequest(`Unknown peer reply tag ${quote(wire[0])}; expected 5 or 6.`);
  }
}

function versionAt(wire: unknown[], at: number, limits: SizeLimits): Version {
  const raw = wire[at];
  const value = raw === null ? null : expectValue(raw, limits);
  return { value, ts: timestampAt(wire, at + 1) };
}

function timestampAt(wire: unknown[], at: number): Timestamp {
  return timestampOf(
    wire[at],
    wire[at + 1],
    wire[at + 2],
    'A timestamp must be wallMs, counter and nodeId',
  );
}

// A traced request's operation id: nil (background) or an id.
function tracedOp(raw: unknown): number | null {
  return raw === null ? null : expectId(raw);
}

function expectLength(wire: unknown[], length: number, what: string): void {
  if (wire.length !== length)
    throw badRequest(`A ${what} array must have ${length} elements, got ${wire.length}.`);
}
