import type { Timestamp } from '../core/clock.js';
import { isErrorCode, QuartetError, type ErrorRecord } from '../core/errors.js';
import { isLevelName } from '../core/levels.js';
import type { DataOp, OpResult, ReplicaReport, ReplicaState } from '../core/messages.js';
import { OperationError } from '../core/operation-error.js';

/**
 * The answer to get, put and delete, the one reply of every operation, travels as a flat
 * positional MessagePack array: a third of the bytes of the map, and two arrays whatever the
 * replicas (no array per timestamp or per replica), so it encodes and decodes in one pass. It
 * leaves out what the client sent (op and key) and who answered (the node it is connected to);
 * the client puts them back.
 *
 *   [1, id, level, required, acks, found, value | nil, wallMs, counter, nodeId, replicas]
 *   the result's ts: wallMs, counter, nodeId, or nil, nil, nil without one
 *   replicas: [node, state, wallMs, counter, nodeId, created, ...]   six per replica; nil for
 *             an absent ts (all three) or created; state: 0 fresh, 1 stale, 2 missing,
 *             3 pending, 4 down
 *
 * A failed operation (TIMEOUT, UNAVAILABLE) is the same array with the error last, so the
 * replicas' states at the failure travel with it: [1, id, ..., replicas, [code, message]].
 */
export const resultTag = 1;
/** Elements of a result array; a failure has one more, its error. */
export const resultLength = 11;

/** Elements of one replica's report in the flat replicas array. */
const reportStride = 6;

const states: readonly ReplicaState[] = ['fresh', 'stale', 'missing', 'pending', 'down'];
const stateCodes = new Map(states.map((state, code) => [state, code]));

export function encodeResult(id: number, result: OpResult): unknown[] {
  // Sized at once and filled in place: pushed to from empty, it was copied into a larger
  // array twice for three replicas (two allocations an answer that this one replaces).
  const reports = result.replicas;
  const replicas = new Array<unknown>(reports.length * reportStride);
  for (let i = 0, at = 0; i < reports.length; i++, at += reportStride) {
    const report = reports[i]!;
    const { ts } = report;
    replicas[at] = report.node;
    replicas[at + 1] = stateCodes.get(report.state);
    replicas[at + 2] = ts === undefined ? null : ts.wallMs;
    replicas[at + 3] = ts === undefined ? null : ts.counter;
    replicas[at + 4] = ts === undefined ? null : ts.nodeId;
    replicas[at + 5] = report.created ?? null;
  }
  const { level, required, acks, found, value, ts } = result;
  if (ts === undefined)
    return [resultTag, id, level, required, acks, found, value, null, null, null, replicas];
  return [
    resultTag,
    id,
    level,
    required,
    acks,
    found,
    value,
    ts.wallMs,
    ts.counter,
    ts.nodeId,
    replicas,
  ];
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
  const [, , level, required, acks, found, value, , , , replicas, failure] = wire;
  if (
    (wire.length !== resultLength && wire.length !== resultLength + 1) ||
    !isLevelName(level) ||
    !isCount(required) ||
    !isCount(acks) ||
    typeof found !== 'boolean' ||
    !(value === null || typeof value === 'string') ||
    !Array.isArray(replicas) ||
    replicas.length % reportStride !== 0
  ) {
    throw malformed('its fields');
  }
  const reports: ReplicaReport[] = [];
  for (let at = 0; at < replicas.length; at += reportStride)
    reports.push(decodeReport(replicas, at));
  const result: OpResult = {
    op: sent.op,
    key: sent.key,
    level,
    coordinator: sent.coordinator,
    required,
    acks,
    value,
    found,
    replicas: reports,
  };
  const ts = timestampAt(wire, 7);
  if (ts !== undefined) result.ts = ts;
  if (wire.length > resultLength) throw new OperationError(decodeError(failure), result);
  return result;
}

function decodeError(wire: unknown): ErrorRecord {
  if (!Array.isArray(wire) || wire.length !== 2) throw malformed('an error');
  const [code, message] = wire as unknown[];
  if (!isErrorCode(code) || typeof message !== 'string') throw malformed('an error');
  return { code, message };
}

function decodeReport(wire: unknown[], at: number): ReplicaReport {
  const node = wire[at];
  const code = wire[at + 1];
  const created = wire[at + 5];
  const state = typeof code === 'number' ? states[code] : undefined;
  if (!isCount(node) || state === undefined) throw malformed('a replica');
  const report: ReplicaReport = { node, state };
  const ts = timestampAt(wire, at + 2);
  if (ts !== undefined) report.ts = ts;
  if (created !== null) {
    if (typeof created !== 'boolean') throw malformed('a replica');
    report.created = created;
  }
  return report;
}

/** The timestamp in three elements from `at`: three counts, or three nils for none. */
function timestampAt(wire: unknown[], at: number): Timestamp | undefined {
  const wallMs = wire[at];
  const counter = wire[at + 1];
  const nodeId = wire[at + 2];
  if (wallMs === null && counter === null && nodeId === null) return undefined;
  if (!isCount(wallMs) || !isCount(counter) || !isCount(nodeId)) throw malformed('a timestamp');
  return { wallMs, counter, nodeId };
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
