import type { TraceEvent } from '../trace/trace-format.js';
import { nodeMessageIds, nodeOperationIds, type Tracer } from './tracer.js';

/** Most trace events a node holds while its last batch is still on the way to the orchestrator. */
export const traceBufferEventsMax = 10_000;
/** How often a node sends its trace events to the orchestrator. */
export const traceFlushIntervalMs = 50;

/** Sends one batch; `done` runs once the channel took it (process.send's callback). */
export type SendBatch = (events: TraceEvent[], done: () => void) => void;

/** The host's clock in µs: performance.timeOrigin + performance.now(), shared by every process. */
export function hostClockUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/**
 * A real node's tracer: events go into a bounded buffer, sent to the orchestrator in batches
 * every traceFlushIntervalMs or when the buffer fills. One batch is on the way at a time; while
 * it is, events past traceBufferEventsMax are counted, not kept, and an `events-dropped` line
 * with the count goes out once there is room again. Times are µs since `originUs` (the
 * orchestrator's start on the same host clock).
 */
export class IpcTracer implements Tracer {
  readonly enabled = true;
  readonly messageId: () => number;
  readonly #nextOperationId: () => number;
  readonly #originUs: number;
  readonly #send: SendBatch;
  readonly #capacity: number;
  #buffer: TraceEvent[] = [];
  #sending = false;
  #dropped = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Run once everything emitted so far is on the channel (`whenSent`). */
  #waiters: (() => void)[] = [];

  /** `messagesBefore`: a restarted node's earlier runs used message numbers up to it. */
  constructor(
    nodeId: number,
    originUs: number,
    send: SendBatch,
    capacity = traceBufferEventsMax,
    messagesBefore = 0,
  ) {
    this.messageId = nodeMessageIds(nodeId, messagesBefore);
    this.#nextOperationId = nodeOperationIds(nodeId);
    this.#originUs = originUs;
    this.#send = send;
    this.#capacity = capacity;
  }

  /** Events counted as dropped and not yet reported. */
  get dropped(): number {
    return this.#dropped;
  }

  operationId(): number {
    return this.#nextOperationId();
  }

  nowUs(): number {
    return hostClockUs() - this.#originUs;
  }

  emit(event: TraceEvent): void {
    if (this.#buffer.length >= this.#capacity) {
      this.#dropped++;
      this.flush();
      return;
    }
    if (this.#dropped > 0) {
      this.#buffer.push({ type: 'events-dropped', t: event.t, count: this.#dropped });
      this.#dropped = 0;
    }
    this.#buffer.push(event);
    if (this.#buffer.length >= this.#capacity) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), traceFlushIntervalMs);
  }

  /** Runs `done` once every event emitted so far was handed to the channel. */
  whenSent(done: () => void): void {
    if (!this.#sending && this.#buffer.length === 0) return done();
    this.#waiters.push(done);
    this.flush();
  }

  /** Sends what the buffer holds, unless a batch is still on the way. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#sending || this.#buffer.length === 0) return;
    const batch = this.#buffer;
    this.#buffer = [];
    this.#sending = true;
    this.#send(batch, () => {
      this.#sending = false;
      if (this.#dropped > 0) {
        this.#buffer.push({ type: 'events-dropped', t: this.nowUs(), count: this.#dropped });
        this.#dropped = 0;
      }
      if (this.#buffer.length > 0) {
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
