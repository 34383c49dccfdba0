import type { EventQueue } from '../core/event-queue.js';
import type { Tracer } from '../node/tracer.js';
import type { TraceEvent } from '../trace/trace-format.js';

/** Most events one simulated run keeps; past it they are counted in one `events-dropped` line. */
export const simTraceEventsMax = 2_000_000;

/**
 * The simulator's tracer: every node's services and links emit into one list, in the order
 * the event queue runs them (so in time order), stamped with the virtual clock in µs. Message
 * ids count up from 1, so the same seed gives the same trace.
 */
export class SimTracer implements Tracer {
  readonly enabled = true;
  readonly events: TraceEvent[] = [];
  dropped = 0;
  readonly #queue: EventQueue;
  #nextMessageId = 1;

  constructor(queue: EventQueue) {
    this.#queue = queue;
  }

  nowUs(): number {
    return this.#queue.nowUs;
  }

  /** The client request's id is the history's operation id. */
  operationId(requestId: number): number {
    return requestId;
  }

  messageId(): number {
    return this.#nextMessageId++;
  }

  emit(event: TraceEvent): void {
    if (this.events.length < simTraceEventsMax) this.events.push(event);
    else this.dropped++;
  }

  /** The events, with the count of those past the bound as the last line. */
  finish(): TraceEvent[] {
    if (this.dropped === 0) return this.events;
    return [...this.events, { type: 'events-dropped', t: this.nowUs(), count: this.dropped }];
  }
}
