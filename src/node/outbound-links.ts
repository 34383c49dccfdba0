import type { TraceNote } from './tracer.js';

/** Data counts in a node's message counters; heartbeats draw their own random stream. */
export type MessageKind = 'data' | 'heartbeat';

/**
 * The links leaving one node, as the node's transport uses them: each message waits out its
 * link's delay, may be lost, is dropped by a partition when sent, and keeps its order on a FIFO
 * link. LinkScheduler (Node timers) and VirtualNetwork's view of a node (the simulator's event
 * queue) are the two; test/node/outbound-links.test.ts holds both to the same suite.
 */
export interface OutboundLinks {
  /**
   * Sends a message to `to`; `deliver` runs when it arrives. False when the link drops it. With
   * a `note` and tracing on, the links trace its send (with the delay drawn), delivery or drop.
   */
  send(to: number, deliver: () => void, kind?: MessageKind, note?: TraceNote): boolean;
  /** Drops every message held for `to` (its connection is gone). */
  discard(to: number): void;
  /** Data messages sent and dropped (heartbeats are left out). */
  readonly counters: { sent: number; dropped: number };
}
