import type { LevelName } from '../core/levels.js';
import type { ClientRequest } from '../core/messages.js';
import {
  badRequest,
  expectId,
  expectKey,
  expectLevel,
  expectTraceOp,
  expectValue,
  quote,
  type SizeLimits,
} from './validate-fields.js';

/**
 * A client's get, put and delete travel to the node as positional MessagePack arrays, as the
 * peer messages and the results do: no field names to write and read, and a decode that
 * builds the typed request in one step. The first element says which request it is; a put's
 * op is in it.
 *
 *   get      [11, id, key, level | nil]
 *   insert   [12, id, key, value, level | nil]
 *   update   [13, id, key, value, level | nil]
 *   delete   [14, id, key, level | nil]
 *
 * `traceOp` (the history's id of the operation) rides along last only when the client gives
 * one. The tags do not overlap the peer messages' (1 to 6): a client connection that sends a
 * peer array is still refused. The map form (`{type: 'get', id, key, level?}`…) stays accepted
 * for other clients.
 */
export type DataRequest = Extract<ClientRequest, { type: 'get' | 'put' | 'delete' }>;

const tagGet = 11;
const tagInsert = 12;
const tagUpdate = 13;
const tagDelete = 14;

/** Whether an array is a client's data request by its tag (it may still be malformed). */
export function isDataRequestArray(wire: unknown[]): boolean {
  const tag = wire[0];
  return tag === tagGet || tag === tagInsert || tag === tagUpdate || tag === tagDelete;
}

/** The wire form of a data request. */
export function encodeDataRequest(request: DataRequest): unknown[] {
  const level = request.level ?? null;
  const wire: unknown[] =
    request.type === 'put'
      ? [
          request.op === 'insert' ? tagInsert : tagUpdate,
          request.id,
          request.key,
          request.value,
          level,
        ]
      : [request.type === 'get' ? tagGet : tagDelete, request.id, request.key, level];
  if (request.traceOp !== undefined) wire.push(request.traceOp);
  return wire;
}

/** Decodes and checks a data request array from a client, or throws BAD_REQUEST/TOO_LARGE. */
export function decodeDataRequest(wire: unknown[], limits: SizeLimits): DataRequest {
  const tag = wire[0];
  const id = expectId(wire[1]);
  let request: DataRequest;
  let length: number;
  switch (tag) {
    case tagGet:
    case tagDelete: {
      length = 4;
      expectLength(wire, length, tag === tagGet ? 'get' : 'delete');
      const type = tag === tagGet ? 'get' : 'delete';
      const key = expectKey(wire[2], limits);
      const level = expectLevel(wire[3]);
      request = level === undefined ? { type, id, key } : { type, id, key, level };
      break;
    }
    case tagInsert:
    case tagUpdate: {
      length = 5;
      const op = tag === tagInsert ? 'insert' : 'update';
      expectLength(wire, length, op);
      const key = expectKey(wire[2], limits);
      const value = expectValue(wire[3], limits);
      const level: LevelName | undefined = expectLevel(wire[4]);
      request =
        level === undefined
          ? { type: 'put', id, op, key, value }
          : { type: 'put', id, op, key, value, level };
      break;
    }
    default:
      throw badRequest(
        `Unknown client request tag ${quote(tag)}; expected ${tagGet} to ${tagDelete}.`,
      );
  }
  if (wire.length === length + 1) {
    const traceOp = expectTraceOp(wire[length]);
    if (traceOp !== undefined) request.traceOp = traceOp;
  }
  return request;
}

// A request of `length` elements, or one more: its traceOp.
function expectLength(wire: unknown[], length: number, what: string): void {
  if (wire.length !== length && wire.length !== length + 1)
    throw badRequest(
      `A ${what} array must have ${length} elements (${length + 1} with a traceOp), got ${wire.length}.`,
    );
}
