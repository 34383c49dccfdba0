// The soak's load: reads and writes at a fixed rate (a share of the measured peak), each write
// of a key through that key's own coordinator and one at a time, so its acknowledged values are
// ordered and the final check can tell a lost write from a later one.
import type { QuartetClient } from '../../src/client/client.js';
import type { LevelName } from '../../src/core/levels.js';
import { createLatencyHistogram, recordLatencyMs } from '../../src/bench/latency.js';
import type { Histogram } from 'hdr-histogram-js';

/** Keys the soak reads and writes: a fixed set, so a store that holds them stays one size. */
export const soakKeysCount = 2_000;
/** Requests in flight at once over all connections. */
export const soakInflightMax = 256;
/** How often the rate limiter issues the operations that are due. */
const tickMs = 5;

const writeLevels: readonly LevelName[] = ['quorum', 'all', 'one'];

export interface LoadWindow {
  ops: number;
  errors: number;
  histogram: Histogram;
}

export class SoakLoad {
  /** Per key, the highest sequence number acknowledged at quorum or all. */
  readonly acked = new Map<string, number>();
  window: LoadWindow = { ops: 0, errors: 0, histogram: createLatencyHistogram() };
  readonly #clients: () => (QuartetClient | undefined)[];
  readonly #writing = new Set<string>();
  #sequence = 0;
  #inflight = 0;
  #issued = 0;
  #timer: NodeJS.Timeout | undefined;
  #drained: (() => void) | undefined;

  constructor(clients: () => (QuartetClient | undefined)[]) {
    this.#clients = clients;
  }

  /** Starts issuing `opsPerSecond` (Infinity: as fast as soakInflightMax allows). */
  start(opsPerSecond: number): void {
    const startedMs = performance.now();
    this.#issued = 0;
    this.#timer = setInterval(() => {
      const due = Number.isFinite(opsPerSecond)
        ? Math.floor(((performance.now() - startedMs) / 1000) * opsPerSecond) - this.#issued
        : soakInflightMax;
      for (let i = 0; i < due && this.#inflight < soakInflightMax; i++) this.#issueOne();
      // Ops that could not be issued for want of slots are dropped, not queued: bounded.
      this.#issued += Math.max(0, due);
    }, tickMs);
  }

  /** Stops issuing and resolves once every request in flight has its answer. */
  stop(): Promise<void> {
    clearInterval(this.#timer);
    if (this.#inflight === 0) return Promise.resolve();
    return new Promise((resolve) => (this.#drained = resolve));
  }

  /** Takes the figures gathered since the last call. */
  takeWindow(): LoadWindow {
    const window = this.window;
    this.window = { ops: 0, errors: 0, histogram: createLatencyHistogram() };
    return window;
  }

  #issueOne(): void {
    const clients = this.#clients();
    const index = Math.floor(Math.random() * soakKeysCount);
    const key = `soak-${index}`;
    const read = Math.random() < 0.5 || this.#writing.has(key);
    // Writes of a key always go to the same coordinator: one clock orders its versions.
    const client =
      clients[read ? Math.floor(Math.random() * clients.length) : index % clients.length];
    if (client === undefined || client.closed) {
      this.window.errors++;
      return;
    }
    this.#inflight++;
    const startMs = performance.now();
    const done = (error: unknown) => {
      this.#inflight--;
      if (error === undefined) {
        this.window.ops++;
        recordLatencyMs(this.window.histogram, performance.now() - startMs);
      } else this.window.errors++;
      if (this.#inflight === 0) this.#drained?.();
    };
    if (read) {
      client.submitGet(key, 'quorum', done);
      return;
    }
    const sequence = ++this.#sequence;
    const level = writeLevels[sequence % writeLevels.length]!;
    this.#writing.add(key);
    client.submitPut('update', key, String(sequence), level, (error) => {
      this.#writing.delete(key);
      if (error === undefined && level !== 'one')
        this.acked.set(key, Math.max(this.acked.get(key) ?? 0, sequence));
      done(error);
    });
  }
}
