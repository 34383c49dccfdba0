import type { Timestamp } from '../core/clock.js';
import { isErrorCode, QuartetError, type ErrorRecord } from '../core/errors.js';
import { isLevelName } from '../core/levels.js';
import type { DataOp, OpResult, ReplicaReport, ReplicaState } from '../core/messages.js';
import { OperationError } from '../core/operation-error.js';

/**
 * The answer to get, put and delete, the one reply of every operation, travels as a positional
 * MessagePack array: a third of the bytes of the map and a fifth of the time to encode and
 * decode. It leaves out what the client sent (op and key) and who answered (the node it is
 * connected to); the client puts them back.
 *
 *   [1, id, level, required, acks, found, value | nil, ts | nil, replicas]
 *   ts:       [wallMs, counter, nodeId]
 *   replicas: [[node, state, ts?, created?], ...]   state: 0 fresh, 1 stale, 2 missing,
 *                                                    3 pending, 4 down
 *
 * A failed operation (TIMEOUT, UNAVAILABLE) is the same array with the error last, so the
 * replicas' states at the failure travel with it: [1, id, ..., replicas, [code, message]].
 */
export const resultTag = 1;

const states: readonly ReplicaState[] = ['fresh', 'stale', 'missing', 'pending', 'down'];
const stateCodes = new Map(states.map((state, code) => [state, code]));

export function encodeResult(id: number, result: OpResult): unknown[] {
  const replicas: unknown[] = [];
  for (const report of result.replicas) {
    const wire: unknown[] = [report.node, stateCodes.get(report.state)];
    if (report.ts !== undefined) wire.push(encodeTimestamp(report.ts));
    if (report.created !== undefined) {
      if (report.ts === undefined) wire.push(null);
      wire.push(report.created);
    }
    replicas.push(wire);
  }
  const ts = result.ts === undefined ? null : encodeTimestamp(result.ts);
  const { level, required, acks, found, value } = result;
  return [resultTag, id, level, required, acks, found, value, ts, replicas];
}

/** A failed operation: its result as the replicas left it, then the error. */
export function encodeFailure(id: number, result: OpResult, error: ErrorRecord): unknown[] {
  const wire = encodeResult(id, result);
  wire.push([error.code, error.message]);
  return wire;
}

/** The operation the client sent, which the wire form leaves out. */
export interface SentOperation {
  op: DataOp;
  key: string;
  coordinator: number;
}

/**
 * Rebuilds the OpResult of a result array. Throws an OperationError (with the result) when the
 * array is a failure, and BAD_REQUEST when the node sent nonsense.
 */
export function decodeResult(wire: unknown[], sent: SentOperation): OpResult {
  const [, , level, required, acks, found, value, ts, replicas, failure] = wire;
  if (
    (wire.length !== 9 && wire.length !== 10) ||
    !isLevelName(level) ||
    !isCount(required) ||
    !isCount(acks) ||
    typeof found !== 'boolean' ||
    !(value === null || typeof value === 'string') ||
    !Array.isArray(replicas)
  ) {
    throw malformed('its fields');
  }
  const result: OpResult = {
    op: sent.op,
    key: sent.key,
    level,
    coordinator: sent.coordinator,
    required,
    acks,
    value,
    found,
    replicas: replicas.map(decodeReport),
  };
  if (ts !== null) result.ts = decodeTimestamp(ts);
  if (wire.length === 10) throw new OperationError(decodeError(failure), result);
  return result;
}

function decodeError(wire: unknown): ErrorRecord {
  if (!Array.isArray(wire) || wire.length !== 2) throw malformed('an error');
  const [code, message] = wire as unknown[];
  if (!isErrorCode(code) || typeof message !== 'string') throw malformed('an error');
  return { code, message };
}

function decodeReport(wire: unknown): ReplicaReport {
  if (!Array.isArray(wire) || wire.length < 2 || wire.length > 4) throw malformed('a replica');
  const [node, code, ts, created] = wire as unknown[];
  const state = typeof code === 'number' ? states[code] : undefined;
  if (!isCount(node) || state === undefined) throw malformed('a replica');
  const report: ReplicaReport = { node, state };
  if (ts !== undefined && ts !== null) report.ts = decodeTimestamp(ts);
  if (created !== undefined) {
    if (typeof created !== 'boolean') throw malformed('a replica');
    report.created = created;
  }
  return report;
}

function encodeTimestamp(ts: Timestamp): number[] {
  return [ts.wallMs, ts.counter, ts.nodeId];
}

function decodeTimestamp(wire: unknown): Timestamp {
  if (!Array.isArray(wire) || wire.length !== 3 || !wire.every(isCount)) {
    throw malformed('a timestamp');
  }
  const [wallMs, counter, nodeId] = wire as number[];
  return { wallMs: wallMs!, counter: counter!, nodeId: nodeId! };
}

function isCount(raw: unknown): raw is number {
  return typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0;
}

function malformed(what: string): QuartetError {
  return new QuartetError(
    'BAD_REQUEST',
    `The node's result had malformed ${what}; is the node running the same quartet version as this client?`,
  );
}
