// The clock, imported: the `performance` global is a lazy getter that runs on every access.
import { performance } from 'node:perf_hooks';
import { isDropped, sampleDelayMs, type DelayDistribution } from '../core/delay.js';
import type { LinkTable } from '../core/links.js';
import type { Random } from '../core/random.js';
import type { MessageKind, OutboundLinks } from './outbound-links.js';
import {
  noTracer,
  traceDeliver,
  tracePassed,
  traceSend,
  type TraceNote,
  type Tracer,
} from './tracer.js';

/** Writes a message; false when it could not be (its connection is gone). */
export type Deliver = () => void | boolean;

interface Held {
  atMs: number;
  deliver: Deliver;
  /** Traced messages: the drop to trace when the message is discarded unsent. */
  discarded?: () => void;
}

/**
 * Holds each message leaving this node for the sampled delay of its link, then delivers it.
 * FIFO links keep their order (a message never overtakes an earlier one on the same link).
 */
export class LinkScheduler implements OutboundLinks {
  readonly #selfId: number;
  readonly #table: LinkTable;
  readonly #distribution: DelayDistribution;
  readonly #fifo: boolean;
  readonly #random: Random;
  /** Heartbeats draw from their own stream, so a seed gives operations the same delays however many heartbeats went first. */
  readonly #heartbeatRandom: Random;
  readonly #tracer: Tracer;
  readonly #queues = new Map<number, Held[]>();
  readonly #timers = new Map<number, NodeJS.Timeout>();
  #messagesSent = 0;
  #messagesDropped = 0;

  constructor(
    selfId: number,
    table: LinkTable,
    distribution: DelayDistribution,
    fifo: boolean,
    random: Random,
    heartbeatRandom: Random = random,
    tracer: Tracer = noTracer,
  ) {
    this.#tracer = tracer;
    this.#selfId = selfId;
    this.#table = table;
    this.#distribution = distribution;
    this.#fifo = fifo;
    this.#random = random;
    this.#heartbeatRandom = heartbeatRandom;
  }

  get counters(): { sent: number; dropped: number } {
    return { sent: this.#messagesSent, dropped: this.#messagesDropped };
  }

  /**
   * Sends a message to `to` after its link's delay; false when the link drops it. Heartbeats
   * are delayed and dropped like any message but left out of the counters, which measure the
   * traffic that operations cause.
   */
  send(to: number, deliver: Deliver, kind: MessageKind = 'data', note?: TraceNote): boolean {
    const counted = kind === 'data';
    const random = counted ? this.#random : this.#heartbeatRandom;
    const link = this.#table.get(this.#selfId, to);
    const tracer = this.#tracer;
    if (isDropped(link, random)) {
      if (counted) this.#messagesDropped++;
      if (tracer.enabled && note !== undefined) {
        const msg = traceSend(tracer, this.#selfId, to, note, 0);
        tracer.emit({
          type: 'msg-drop',
          t: tracer.nowUs(),
          msg,
          why: link.blocked ? 'partition' : 'loss',
        });
      }
      return false;
    }
    if (counted) this.#messagesSent++;
    const delayMs = sampleDelayMs(this.#distribution, link.delayMsMean, random);
    let discarded: (() => void) | undefined;
    if (tracer.enabled && note !== undefined) {
      // Delivered when the delay has elapsed and the message is written to the socket; dropped
      // when its connection is gone by then (the peer's process died: `crash`).
      const msg = traceSend(tracer, this.#selfId, to, note, delayMs);
      const write = deliver;
      discarded = () => tracer.emit({ type: 'msg-drop', t: tracer.nowUs(), msg, why: 'crash' });
      deliver = () => {
        if (write() === false) return discarded!();
        traceDeliver(tracer, msg);
      };
    }
    const queue = this.#queues.get(to);
    if (delayMs === 0 && (queue === undefined || queue.length === 0)) {
      deliver();
      return true;
    }
    if (!this.#fifo) {
      setTimeout(deliver, delayMs);
      return true;
    }
    const nowMs = performance.now();
    const lastAtMs = queue !== undefined && queue.length > 0 ? queue[queue.length - 1]!.atMs : 0;
    const held: Held = { atMs: Math.max(nowMs + delayMs, lastAtMs), deliver };
    if (discarded !== undefined) held.discarded = discarded;
    if (queue === undefined) this.#queues.set(to, [held]);
    else queue.push(held);
    if (!this.#timers.has(to)) this.#arm(to, held.atMs - nowMs);
    return true;
  }

  /**
   * Counts a message to `to` and says it may go out at once: its link has no delay, no loss and
   * no partition and nothing is held for it, so `send` would deliver it now without drawing a
   * random number. The caller writes it without making a closure: the path of every message of
   * a cluster without faults, traced or not (then `traceAtOnce` after the write). False: use
   * `send`.
   */
  passesAtOnce(to: number): boolean {
    const link = this.#table.get(this.#selfId, to);
    if (link.blocked || link.lossRate > 0 || link.delayMsMean > 0) return false;
    const queue = this.#queues.get(to);
    if (queue !== undefined && queue.length > 0) return false;
    this.#messagesSent++;
    return true;
  }

  /**
   * Traces a message that passed at once (`passesAtOnce`) once the caller wrote it: sent with
   * no delay, and delivered, or dropped as `crash` when the write failed (its connection gone).
   */
  traceAtOnce(to: number, note: TraceNote, written: boolean): void {
    const tracer = this.#tracer;
    if (!tracer.enabled) return;
    // Sent and written in the same instant: one clock read for both.
    const t = tracer.nowUs();
    if (written) return tracePassed(tracer, this.#selfId, to, note, t);
    const msg = traceSend(tracer, this.#selfId, to, note, 0, t);
    tracer.emit({ type: 'msg-drop', t, msg, why: 'crash' });
  }

  /** Drops every message held for `to` (its connection is gone). */
  discard(to: number): void {
    for (const held of this.#queues.get(to) ?? []) held.discarded?.();
    this.#queues.delete(to);
    const timer = this.#timers.get(to);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(to);
  }

  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#queues.clear();
  }

  #arm(to: number, waitMs: number): void {
    this.#timers.set(
      to,
      setTimeout(() => this.#flush(to), Math.max(0, waitMs)),
    );
  }

  #flush(to: number): void {
    this.#timers.delete(to);
    const queue = this.#queues.get(to);
    if (queue === undefined) return;
    const nowMs = performance.now();
    let delivered = 0;
    while (delivered < queue.length && queue[delivered]!.atMs <= nowMs + 0.5) {
      queue[delivered]!.deliver();
      delivered++;
    }
    queue.splice(0, delivered);
    if (queue.length > 0) this.#arm(to, queue[0]!.atMs - nowMs);
  }
}
