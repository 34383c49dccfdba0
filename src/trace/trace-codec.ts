import type { Timestamp } from '../core/clock.js';
import { levelNames } from '../core/levels.js';
import type { DataOp, ReplicaState } from '../core/messages.js';
import {
  dropReasons,
  messageKinds,
  type LevelMetEvent,
  type MsgDeliverEvent,
  type MsgDropEvent,
  type MsgSendEvent,
  type OpCompleteEvent,
  type OpInvokeEvent,
  type RepairEvent,
  type ReplicaNote,
} from './trace-format.js';

/*
 * The binary encoding of a batch of trace events, between a node and its orchestrator (never
 * on disk: files are JSON lines, docs/trace.md). A batch is a run of records, each a tag byte
 * and its fields: whole numbers in LEB128 (any other as float64, little endian), a record's time,
 * message and operation as the difference from the batch's previous ones, strings as their UTF-8
 * byte length in LEB128 and the bytes, names from a fixed list as one byte. The events of every message and operation have a
 * positional record; any other event (or one with a name off its list) is a JSON record, so a
 * new event kind needs no change here.
 */

export const recordTag = {
  json: 0,
  msgSend: 1,
  msgDeliver: 2,
  msgDrop: 3,
  levelMet: 4,
  opInvoke: 5,
  opComplete: 6,
  /** An answer: `level-met` and `op-complete` at one `t` (a coordinator answers when it is met). */
  opAnswered: 7,
  repair: 8,
  /**
   * A `msg-send` like the batch's previous positional one (the same kind, sender, operation,
   * key, version, delay and counts, delivered at once or not alike) to another receiver: its
   * receiver and time, its message the next after the batch's last. An operation's fan-out to
   * its replicas.
   */
  msgSendLike: 9,
} as const;

/** repair flags: which versions the record carries. */
export const repairFlag = { from: 1, to: 2 } as const;

/**
 * An optional value's presence byte: absent, null, or there. `asInvoked`: an `op-complete`'s
 * value is its write's, which the batch's `op-invoke` of the operation carries (not again).
 */
export const presence = { absent: 0, null: 1, present: 2, asInvoked: 3 } as const;

/** op-invoke: set in its kind byte when its client is the batch's previous invocation's. */
export const sameClientFlag = 0x80;

/**
 * msg-send flags. `delivered`: the message was delivered at the send's `t` (written at once),
 * so the record stands for its `msg-send` and `msg-deliver`, and has no delay field (0).
 * `sameKey` (with `key`): the key is the last one the batch wrote (in a send or an invocation),
 * not written again. `opNull`: no operation field.
 */
export const sendFlag = {
  opNull: 1,
  key: 2,
  ts: 4,
  ranges: 8,
  keys: 16,
  delivered: 32,
  sameKey: 64,
} as const;

export const dataOps: readonly DataOp[] = ['get', 'insert', 'update', 'delete'];
export const replicaStates: readonly ReplicaState[] = [
  'fresh',
  'stale',
  'missing',
  'pending',
  'down',
];

/**
 * The byte of `name` in `names` (its index), undefined when it is off the list: what the
 * encoder looks up per record. A scan of a few interned strings, cheaper than a Map's hash.
 */
export function codeOf(names: readonly string[], name: string): number | undefined {
  for (let index = 0; index < names.length; index++) if (names[index] === name) return index;
  return undefined;
}

/*
 * A positional record writes every field of its event: adding a field to one of these events
 * without encoding it fails to compile here.
 */
type Covers<E, Fields extends keyof E> = Exclude<keyof E, Fields> extends never ? true : false;
export const positionalRecordsCoverTheirEvents: [
  Covers<
    MsgSendEvent,
    | 'type'
    | 't'
    | 'msg'
    | 'kind'
    | 'from'
    | 'to'
    | 'op'
    | 'key'
    | 'ts'
    | 'delayMs'
    | 'ranges'
    | 'keys'
  >,
  Covers<MsgDeliverEvent, 'type' | 't' | 'msg'>,
  Covers<MsgDropEvent, 'type' | 't' | 'msg' | 'why'>,
  Covers<LevelMetEvent, 'type' | 't' | 'op'>,
  Covers<
    OpInvokeEvent,
    'type' | 't' | 'op' | 'client' | 'node' | 'kind' | 'key' | 'level' | 'value'
  >,
  Covers<
    OpCompleteEvent,
    'type' | 't' | 'op' | 'ok' | 'value' | 'found' | 'acks' | 'required' | 'replicas' | 'error'
  >,
  Covers<RepairEvent, 'type' | 't' | 'op' | 'node' | 'key' | 'from' | 'to' | 'applied'>,
  Covers<ReplicaNote, 'node' | 'state' | 'ts'>,
  Covers<Timestamp, 'wallMs' | 'counter' | 'nodeId'>,
  Covers<NonNullable<OpCompleteEvent['error']>, 'code' | 'message'>,
] = [true, true, true, true, true, true, true, true, true, true];
