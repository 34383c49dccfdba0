/** A hybrid logical clock timestamp: totally ordered by (wallMs, counter, nodeId). */
export interface Timestamp {
  wallMs: number;
  counter: number;
  nodeId: number;
}

export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  if (a.wallMs !== b.wallMs) return a.wallMs < b.wallMs ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  if (a.nodeId !== b.nodeId) return a.nodeId < b.nodeId ? -1 : 1;
  return 0;
}

export function formatTimestamp(ts: Timestamp): string {
  return `${ts.wallMs}.${ts.counter}@${ts.nodeId}`;
}

/**
 * Hybrid logical clock (Kulkarni et al.): never goes backwards, and a node that has seen a
 * timestamp stamps every later event above it, even when its wall clock lags. The wall time is
 * passed in, so the same clock runs in a real node and in the simulator.
 */
export class HybridClock {
  readonly nodeId: number;
  #last: Timestamp;

  constructor(nodeId: number) {
    this.nodeId = nodeId;
    this.#last = { wallMs: 0, counter: 0, nodeId };
  }

  /** A new timestamp for a local event, strictly above every timestamp issued or observed. */
  stamp(wallMs: number): Timestamp {
    const last = this.#last;
    const next =
      wallMs > last.wallMs
        ? { wallMs, counter: 0, nodeId: this.nodeId }
        : { wallMs: last.wallMs, counter: last.counter + 1, nodeId: this.nodeId };
    this.#last = next;
    return next;
  }

  /** Moves the clock past a timestamp received from another node. */
  observe(remote: Timestamp, wallMs: number): void {
    const last = this.#last;
    const wall = Math.max(wallMs, last.wallMs, remote.wallMs);
    let counter = 0;
    if (wall === last.wallMs && wall === remote.wallMs) {
      counter = Math.max(last.counter, remote.counter);
    } else if (wall === last.wallMs) {
      counter = last.counter;
    } else if (wall === remote.wallMs) {
      counter = remote.counter;
    }
    this.#last = { wallMs: wall, counter, nodeId: this.nodeId };
  }

  get last(): Timestamp {
    return this.#last;
  }
}
