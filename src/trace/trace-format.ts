import type { Timestamp } from '../core/clock.js';
import type { ErrorCode } from '../core/errors.js';
import type { LevelName } from '../core/levels.js';
import type { DataOp, ReplicaState } from '../core/messages.js';

/*
 * The trace format (docs/trace.md): JSON lines, a `meta` line first, then one event a line in
 * time order. Real clusters and the simulator write it from the same code path; `trace` at the
 * prompt and `quartet report` read it. Times `t` are microseconds since the start of the run.
 */

export const traceFormat = 'quartet-trace';
export const traceFormatVersion = 1;

export interface TraceMeta {
  type: 'meta';
  format: typeof traceFormat;
  version: typeof traceFormatVersion;
  source: 'cluster' | 'sim';
  nodes: number[];
  replicationFactor: number;
  timeUnit: 'us';
  seed?: number;
}

export const messageKinds = [
  'read',
  'write',
  'repair',
  'read-reply',
  'write-reply',
  'ping',
  'tree',
  'range',
  'tree-reply',
  'range-reply',
] as const;
export type MessageKind = (typeof messageKinds)[number];

/** Background traffic: what a report hides when asked to show only the operations' messages. */
export const backgroundKinds: readonly MessageKind[] = [
  'ping',
  'tree',
  'range',
  'tree-reply',
  'range-reply',
];

export const dropReasons = ['loss', 'partition', 'crash', 'pause'] as const;
export type DropReason = (typeof dropReasons)[number];

export const faultKinds = [
  'kill',
  'restart',
  'pause',
  'resume',
  'partition',
  'heal',
  'delay',
  'loss',
  'skew',
] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface OpInvokeEvent {
  type: 'op-invoke';
  t: number;
  op: number;
  client: string;
  /** The coordinator. */
  node: number;
  kind: DataOp;
  key: string;
  level: LevelName;
  /** The value written (null for delete); absent for get. */
  value?: string | null;
}

/** The `op-invoke` event of an operation; `value` undefined (a get): the field is left out. */
export function invokeEvent(
  t: number,
  op: number,
  client: string,
  node: number,
  kind: DataOp,
  key: string,
  level: LevelName,
  value: string | null | undefined,
): OpInvokeEvent {
  const event: OpInvokeEvent = { type: 'op-invoke', t, op, client, node, kind, key, level };
  if (value !== undefined) event.value = value;
  return event;
}

export interface ReplicaNote {
  node: number;
  state: ReplicaState;
  ts?: Timestamp;
}

export interface OpCompleteEvent {
  type: 'op-complete';
  t: number;
  op: number;
  ok: boolean;
  value?: string | null;
  found?: boolean;
  acks: number;
  required: number;
  replicas: ReplicaNote[];
  error?: { code: ErrorCode; message: string };
}

export interface LevelMetEvent {
  type: 'level-met';
  t: number;
  op: number;
}

export interface MsgSendEvent {
  type: 'msg-send';
  t: number;
  /** Unique in the trace: deliver and drop events name it. */
  msg: number;
  kind: MessageKind;
  from: number;
  to: number;
  /** The data operation the message serves; null for background traffic. */
  op: number | null;
  key?: string;
  /** The version a write or repair carries, or a reply answers with. */
  ts?: Timestamp;
  /** The delay drawn for this message on its link. */
  delayMs: number;
  /** Anti-entropy: the ranges a `tree`/`tree-reply` covers, or a `range` asks for. */
  ranges?: number;
  /** Anti-entropy: the keys a `range-reply` streams (with `key`/`ts` when it streams one). */
  keys?: number;
}

/** What a message's send event says of it beside its times and ends: kind, op, key, version, counts. */
export type MsgSendNote = Pick<MsgSendEvent, 'kind' | 'op' | 'key' | 'ts' | 'ranges' | 'keys'>;

/** The `msg-send` event of a message, with only the note's fields that are set. */
export function msgSendEvent(
  t: number,
  msg: number,
  from: number,
  to: number,
  note: MsgSendNote,
  delayMs: number,
): MsgSendEvent {
  const event: MsgSendEvent = {
    type: 'msg-send',
    t,
    msg,
    kind: note.kind,
    from,
    to,
    op: note.op,
    delayMs,
  };
  if (note.key !== undefined) event.key = note.key;
  if (note.ts !== undefined) event.ts = note.ts;
  if (note.ranges !== undefined) event.ranges = note.ranges;
  if (note.keys !== undefined) event.keys = note.keys;
  return event;
}

export interface MsgDeliverEvent {
  type: 'msg-deliver';
  t: number;
  msg: number;
}

export interface MsgDropEvent {
  type: 'msg-drop';
  t: number;
  msg: number;
  why: DropReason;
}

/** A read repair: sent by the coordinator of `op` to `node`, and whether the replica took it. */
export interface RepairEvent {
  type: 'repair';
  t: number;
  op: number;
  node: number;
  key: string;
  from?: Timestamp;
  to?: Timestamp;
  applied: boolean;
}

export interface HintEvent {
  type: 'hint';
  t: number;
  action: 'stored' | 'replayed' | 'expired';
  /** The node holding the hint. */
  node: number;
  /** The replica the hint is for. */
  target: number;
  key: string;
  ts?: Timestamp;
}

export interface AntiEntropyEvent {
  type: 'anti-entropy';
  t: number;
  node: number;
  peer: number;
  phase: 'start' | 'end';
  rangesCompared: number;
  rangesDiffering: number;
  keysSent: number;
  keysReceived: number;
  /** end: the keys streamed either way, when the producer lists them. */
  keys?: string[];
}

export interface DetectorEvent {
  type: 'detector';
  t: number;
  node: number;
  peer: number;
  state: 'up' | 'suspect' | 'down';
}

export interface FaultEvent {
  type: 'fault';
  t: number;
  fault: FaultKind;
  node?: number;
  groups?: number[][];
  from?: number;
  to?: number;
  delayMs?: number;
  lossRate?: number;
  skewMs?: number;
}

/** The producer's buffer overflowed: `count` events were dropped before this point. */
export interface EventsDroppedEvent {
  type: 'events-dropped';
  t: number;
  count: number;
}

export type TraceEvent =
  | OpInvokeEvent
  | OpCompleteEvent
  | LevelMetEvent
  | MsgSendEvent
  | MsgDeliverEvent
  | MsgDropEvent
  | RepairEvent
  | HintEvent
  | AntiEntropyEvent
  | DetectorEvent
  | FaultEvent
  | EventsDroppedEvent;

export type TraceEventType = TraceEvent['type'];
export type TraceLine = TraceMeta | TraceEvent;

export interface Trace {
  meta: TraceMeta;
  events: TraceEvent[];
}

/** Builds the first line of a trace. */
export function createTraceMeta(
  fields: Pick<TraceMeta, 'source' | 'nodes' | 'replicationFactor'> & { seed?: number },
): TraceMeta {
  return {
    type: 'meta',
    format: traceFormat,
    version: traceFormatVersion,
    timeUnit: 'us',
    ...fields,
  };
}

export function formatTraceLine(line: TraceLine): string {
  return JSON.stringify(line);
}

export function formatTrace(trace: Trace): string {
  let text = `${formatTraceLine(trace.meta)}\n`;
  for (const event of trace.events) text += `${formatTraceLine(event)}\n`;
  return text;
}
