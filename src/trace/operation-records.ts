import { BatchWriter, deltaField, uintBytesMax } from './batch-writer.js';
import { levelNames } from '../core/levels.js';
import {
  codeOf,
  dataOps,
  presence,
  recordTag,
  repairFlag,
  replicaStates,
  sameClientFlag,
} from './trace-codec.js';
import type { OpCompleteEvent, RepairEvent, ReplicaNote } from './trace-format.js';

/*
 * The records of an operation's events (src/trace/trace-codec.ts), for TraceEncoder: its
 * invocation, its completion (with its level-met, as an answer) and its read repairs.
 */

/** What an `op-complete` record holds besides its time and operation (an OpResult has them). */
export interface CompleteFields {
  value?: string | null | undefined;
  found?: boolean | undefined;
  acks: number;
  required: number;
  replicas: readonly ReplicaNote[];
  error?: OpCompleteEvent['error'];
}

/** A read repair's record. */
export function writeRepair(w: BatchWriter, event: RepairEvent): boolean {
  const { from, to } = event;
  w.room(3 + 3 * uintBytesMax);
  w.byte(recordTag.repair);
  w.byte(event.applied ? 1 : 0);
  w.byte((from === undefined ? 0 : repairFlag.from) | (to === undefined ? 0 : repairFlag.to));
  w.delta(deltaField.t, event.t);
  w.delta(deltaField.op, event.op);
  w.uint(event.node);
  w.string(event.key);
  if (from !== undefined) w.timestamp(from);
  if (to !== undefined) w.timestamp(to);
  return true;
}

/** An `op-invoke` record from its event's fields; false when a name is off its list. */
export function writeOpInvoke(
  w: BatchWriter,
  t: number,
  op: number,
  client: string,
  node: number,
  kind: string,
  key: string,
  level: string,
  value: string | null | undefined,
): boolean {
  const kindCode = codeOf(dataOps, kind);
  const levelCode = codeOf(levelNames, level);
  if (kindCode === undefined || levelCode === undefined) return false;
  const sameClient = client === w.lastClient;
  w.room(3 + 3 * uintBytesMax);
  w.byte(recordTag.opInvoke);
  w.byte(sameClient ? kindCode | sameClientFlag : kindCode);
  w.byte(levelCode);
  w.delta(deltaField.t, t);
  w.delta(deltaField.op, op);
  w.uint(node);
  if (!sameClient) w.string(client);
  w.string(key);
  w.optionalString(value);
  // Its messages may say "the same key" (sendFlag.sameKey), the next invocation "same client",
  // and its op-complete "the value invoked" (presence.asInvoked).
  w.lastKey = key;
  w.lastClient = client;
  if (typeof value === 'string') w.invoked(op, value);
  return true;
}

/** An `op-complete` record (`opComplete`), or with its `level-met` (`opAnswered`). */
export function writeComplete(
  w: BatchWriter,
  tag: number,
  t: number,
  op: number,
  ok: boolean,
  fields: CompleteFields,
): boolean {
  const { found, replicas, error } = fields;
  w.room(3 + 5 * uintBytesMax);
  w.byte(tag);
  w.byte(ok ? 1 : 0);
  w.byte(found === undefined ? presence.absent : found ? 2 : 1);
  w.delta(deltaField.t, t);
  w.delta(deltaField.op, op);
  w.uint(fields.acks);
  w.uint(fields.required);
  w.uint(replicas.length);
  const { value } = fields;
  const invoked = w.takeInvoked(op);
  if (invoked !== undefined && invoked === value) {
    w.room(1);
    w.byte(presence.asInvoked);
  } else w.optionalString(value);
  for (const replica of replicas) {
    const state = codeOf(replicaStates, replica.state);
    if (state === undefined) return false;
    w.room(2 + uintBytesMax);
    w.byte(state);
    w.uint(replica.node);
    w.byte(replica.ts === undefined ? presence.absent : presence.present);
    if (replica.ts !== undefined) w.timestamp(replica.ts);
  }
  w.room(1);
  w.byte(error === undefined ? presence.absent : presence.present);
  if (error !== undefined) {
    w.string(error.code);
    w.string(error.message);
  }
  return true;
}
