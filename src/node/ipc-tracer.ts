// The clock, imported: the `performance` global is a lazy getter that runs on every access.
import { performance } from 'node:perf_hooks';
import type { LevelName } from '../core/levels.js';
import type { DataOp, OpResult } from '../core/messages.js';
import { TraceEncoder } from '../trace/trace-encoder.js';
import type { TraceEvent } from '../trace/trace-format.js';
import { nodeOperationIds, type TraceNote, type Tracer } from './tracer.js';

/** Most trace events a node holds while its last batch is still on the way to the orchestrator. */
export const traceBufferEventsMax = 10_000;
/** Most bytes of encoded trace events a node holds (a batch); values can be long. */
export const traceBufferBytesMax = 8 * 1024 * 1024;
/** How often a node sends its trace events to the orchestrator. */
export const traceFlushIntervalMs = 50;

/** A batch of encoded events (src/trace/trace-codec.ts). */
export interface EncodedTraceBatch {
  count: number;
  bytes: Uint8Array;
  /** Message numbers the node has used so far: a restarted node goes on from it. */
  messages: number;
}

/**
 * Sends one batch; `done` runs once the channel took it (process.send's callback), after which
 * the batch's bytes are reused.
 */
export type SendBatch = (batch: EncodedTraceBatch, done: () => void) => void;

/** The host's clock in µs: performance.timeOrigin + performance.now(), shared by every process. */
export function hostClockUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/**
 * A real node's tracer: events are encoded at once into a bounded buffer (no event object
 * outlives its emit), sent to the orchestrator as one batch of bytes every
 * traceFlushIntervalMs or when the buffer fills. One batch is on the way at a time; while
 * it is, events past traceBufferEventsMax are counted, not kept, and an `events-dropped` line
 * with the count goes out once there is room again. Times are µs since `originUs` (the
 * orchestrator's start on the same host clock).
 */
export class IpcTracer implements Tracer {
  readonly enabled = true;
  /** Message ids: nodeId * 2^32 + a number (as nodeMessageIds), counted here for the batches. */
  readonly messageId = (): number => this.#messageBase + ++this.#messages;
  readonly #nextOperationId: () => number;
  /** hostClockUs() - originUs = this + performance.now() in µs. */
  readonly #clockOffsetUs: number;
  readonly #send: SendBatch;
  readonly #capacity: number;
  readonly #buffer: TraceEncoder;
  #sending = false;
  #dropped = 0;
  #timer: NodeJS.Timeout | undefined;
  /**
   * The flush timer's callback, made once: an arrow function inside `#kept` would make V8
   * allocate a context for `this` on every call of it, timer armed or not (40 bytes an event).
   */
  readonly #flushOnTimer = (): void => this.flush();
  /** Run once everything emitted so far is on the channel (`whenSent`). */
  #waiters: (() => void)[] = [];

  /** Message numbers this node used, its earlier runs' included (a restarted node counts on). */
  #messages: number;
  readonly #messageBase: number;
  constructor(
    nodeId: number,
    originUs: number,
    send: SendBatch,
    capacity = traceBufferEventsMax,
    bytesMax = traceBufferBytesMax,
    messagesBefore = 0,
  ) {
    this.#messageBase = nodeId * 2 ** 32;
    this.#messages = messagesBefore;
    this.#nextOperationId = nodeOperationIds(nodeId);
    this.#clockOffsetUs = performance.timeOrigin * 1000 - originUs;
    this.#send = send;
    this.#capacity = capacity;
    this.#buffer = new TraceEncoder(bytesMax);
  }

  /** Events counted as dropped and not yet reported. */
  get dropped(): number {
    return this.#dropped;
  }

  operationId(): number {
    return this.#nextOperationId();
  }

  nowUs(): number {
    return Math.round(this.#clockOffsetUs + performance.now() * 1000);
  }

  emit(event: TraceEvent): void {
    if (this.#admit(event.t)) this.#kept(this.#buffer.encode(event));
  }

  emitSend(t: number, msg: number, from: number, to: number, note: TraceNote, delayMs: number) {
    if (this.#admit(t)) this.#kept(this.#buffer.encodeSend(t, msg, from, to, note, delayMs));
  }

  emitDeliver(t: number, msg: number): void {
    if (this.#admit(t)) this.#kept(this.#buffer.encodeDeliver(t, msg));
  }

  emitPassed(t: number, msg: number, from: number, to: number, note: TraceNote): void {
    if (this.#admit(t, 2)) this.#kept(this.#buffer.encodeSend(t, msg, from, to, note, 0, true), 2);
  }

  emitInvoke(
    t: number,
    op: number,
    client: string,
    node: number,
    kind: DataOp,
    key: string,
    level: LevelName,
    value: string | null | undefined,
  ): void {
    if (this.#admit(t))
      this.#kept(this.#buffer.encodeInvoke(t, op, client, node, kind, key, level, value));
  }

  emitAnswer(t: number, op: number, result: OpResult): void {
    if (this.#admit(t, 2)) this.#kept(this.#buffer.encodeAnswer(t, op, result), 2);
  }

  /** Whether `events` events at `t` may go in the buffer (the count of dropped ones first). */
  #admit(t: number, events = 1): boolean {
    const room =
      this.#buffer.count + events <= this.#capacity &&
      (this.#dropped === 0 || this.#reportDropped(t));
    if (!room) this.#drop(events);
    return room;
  }

  /** After an event went in (or did not fit): flushes a full buffer, else arms the timer. */
  #kept(encoded: boolean, events = 1): void {
    if (!encoded) return this.#drop(events);
    if (this.#buffer.count >= this.#capacity) this.flush();
    else this.#timer ??= setTimeout(this.#flushOnTimer, traceFlushIntervalMs);
  }

  #drop(events = 1): void {
    this.#dropped += events;
    this.flush();
  }

  /** Puts the count of dropped events in the buffer; false when even that does not fit. */
  #reportDropped(t: number): boolean {
    if (!this.#buffer.encode({ type: 'events-dropped', t, count: this.#dropped })) return false;
    this.#dropped = 0;
    return true;
  }

  /** Runs `done` once every event emitted so far was handed to the channel. */
  whenSent(done: () => void): void {
    if (!this.#sending && this.#buffer.count === 0) return done();
    this.#waiters.push(done);
    this.flush();
  }

  /** Sends what the buffer holds, unless a batch is still on the way. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#sending || this.#buffer.count === 0) return;
    const count = this.#buffer.count;
    const bytes = this.#buffer.take();
    this.#sending = true;
    this.#send({ count, bytes, messages: this.#messages }, () => {
      this.#sending = false;
      this.#buffer.recycle(bytes);
      if (this.#dropped > 0) this.#reportDropped(this.nowUs());
      if (this.#buffer.count > 0) {
        if (this.#waiters.length > 0) this.flush();
        else this.#timer ??= setTimeout(() => this.flush(), 0);
        return;
      }
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const waiter of waiters) waiter();
    });
  }
}
