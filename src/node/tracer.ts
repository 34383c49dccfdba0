import type { Timestamp } from '../core/clock.js';
import type { LevelName } from '../core/levels.js';
import type { DataOp, OpResult } from '../core/messages.js';
import {
  invokeEvent,
  msgSendEvent,
  type MessageKind,
  type TraceEvent,
} from '../trace/trace-format.js';

/**
 * Where a node's services and links write the trace (docs/trace.md). Every emit site checks
 * `enabled` first, so a node without a trace builds no event and draws no message id.
 */
export interface Tracer {
  readonly enabled: boolean;
  /** `enabled` may change while the node runs (an operator starts and stops the trace). */
  readonly switchable?: boolean;
  /** Microseconds since the start of the run (the simulator's virtual clock, or the host's). */
  nowUs(): number;
  /** A message id unique in the trace. */
  messageId(): number;
  /** The trace's id of a client request: the history's id in the simulator, unique per node on real nodes. */
  operationId(requestId: number): number;
  emit(event: TraceEvent): void;
  /**
   * Optional, what `emit` of the `msg-send` / `msg-deliver` event does, without the event
   * object: a tracer that encodes as it goes (IpcTracer) takes the fields as they are. Called
   * only by traceSend and traceDeliver.
   */
  emitSend?(
    t: number,
    msg: number,
    from: number,
    to: number,
    note: TraceNote,
    delayMs: number,
  ): void;
  emitDeliver?(t: number, msg: number): void;
  /** Optional: `emitSend` and `emitDeliver` of a message delivered at the instant it was sent. */
  emitPassed?(t: number, msg: number, from: number, to: number, note: TraceNote): void;
  /** Optional: `emit` of an answer's `level-met` and `op-complete`, both at `t`, from its result. */
  emitAnswer?(t: number, op: number, result: OpResult): void;
  /** Optional: `emit` of an `op-invoke` from its fields (as invokeEvent). Called only by traceInvoke. */
  emitInvoke?(
    t: number,
    op: number,
    client: string,
    node: number,
    kind: DataOp,
    key: string,
    level: LevelName,
    value: string | null | undefined,
  ): void;
}

/** What a traced peer message is about: its kind, the operation it serves, its key and version. */
export interface TraceNote {
  kind: MessageKind;
  op: number | null;
  key?: string;
  ts?: Timestamp;
  /** Anti-entropy: the ranges a tree covers or a range request asks for. */
  ranges?: number;
  /** Anti-entropy: the keys a range reply streams. */
  keys?: number;
}

/** The tracer of a node started without a trace. */
export const noTracer: Tracer = {
  enabled: false,
  nowUs: () => 0,
  messageId: () => 0,
  operationId: (requestId) => requestId,
  emit: () => {},
};

/**
 * Message ids per node: nodeId * 2^32 + a counter, so nodes never collide in one trace; a node
 * started again counts on from `before`, the last its earlier run used.
 */
export function nodeMessageIds(nodeId: number, before = 0): () => number {
  let counter = before;
  return () => nodeId * 2 ** 32 + ++counter;
}

/** Operations one real node may coordinate in a trace before its ids run into the next node's. */
export const tracedOperationsPerNodeMax = 1_000_000_000;

/**
 * Operation ids of a real node: nodeId * 10^9 + a counter (the clients' request ids are per
 * connection, so two clients of one node could share them). Readable in `trace`: op 2000000017.
 */
export function nodeOperationIds(nodeId: number): () => number {
  let counter = 0;
  return () => nodeId * tracedOperationsPerNodeMax + (++counter % tracedOperationsPerNodeMax);
}

/** Emits `msg-send` for a message a link accepted or dropped (at `t`, now by default); returns its id. */
export function traceSend(
  tracer: Tracer,
  from: number,
  to: number,
  note: TraceNote,
  delayMs: number,
  t = tracer.nowUs(),
): number {
  const msg = tracer.messageId();
  if (tracer.emitSend !== undefined) {
    tracer.emitSend(t, msg, from, to, note, delayMs);
    return msg;
  }
  tracer.emit(msgSendEvent(t, msg, from, to, note, delayMs));
  return msg;
}

/**
 * Emits `op-invoke` of operation `op` now; `value` is the value written, null for a delete,
 * undefined for a get.
 */
export function traceInvoke(
  tracer: Tracer,
  op: number,
  client: string,
  node: number,
  kind: DataOp,
  key: string,
  level: LevelName,
  value: string | null | undefined,
): void {
  const t = tracer.nowUs();
  if (tracer.emitInvoke !== undefined)
    tracer.emitInvoke(t, op, client, node, kind, key, level, value);
  else tracer.emit(invokeEvent(t, op, client, node, kind, key, level, value));
}

/** Emits `msg-deliver` for message `msg` (at `t`, now by default). */
export function traceDeliver(tracer: Tracer, msg: number, t = tracer.nowUs()): void {
  if (tracer.emitDeliver !== undefined) tracer.emitDeliver(t, msg);
  else tracer.emit({ type: 'msg-deliver', t, msg });
}

/**
 * Emits `msg-send` (no delay) and `msg-deliver` at `t` for a message written the instant it
 * was sent: one record for both on a tracer that has `emitPassed`.
 */
export function tracePassed(
  tracer: Tracer,
  from: number,
  to: number,
  note: TraceNote,
  t: number,
): void {
  if (tracer.emitPassed === undefined) {
    traceDeliver(tracer, traceSend(tracer, from, to, note, 0, t), t);
    return;
  }
  tracer.emitPassed(t, tracer.messageId(), from, to, note);
}

/**
 * A trace note. Every note has all six fields, in this order (unset ones undefined), so the
 * code that reads them (the encoder, the links) sees one object shape, not one per call site.
 */
export function traceNote(
  kind: MessageKind,
  op: number | null,
  key?: string,
  ts?: Timestamp,
  ranges?: number,
  keys?: number,
): TraceNote {
  return { kind, op, key, ts, ranges, keys };
}
