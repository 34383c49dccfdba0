import { QuartetError } from './errors.js';

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
 * Refuses a timestamp from elsewhere whose wall time is more than `maxClockOffsetMs` ahead of
 * this node's wall clock, as CockroachDB bounds clock offset: observed, one forged or badly
 * skewed version would push every later timestamp of this node past it, and every later write
 * of a correct node would lose to it. Throws CLOCK_SKEW, saying by how much and what to do.
 */
export function checkClockOffset(
  remote: Timestamp,
  localWallMs: number,
  maxClockOffsetMs: number,
): void {
  const aheadMs = remote.wallMs - localWallMs;
  if (aheadMs <= maxClockOffsetMs) return;
  throw new QuartetError(
    'CLOCK_SKEW',
    `Refused a version node ${remote.nodeId} stamped ${formatAheadMs(aheadMs)} ahead of this node's clock (at ${new Date(remote.wallMs).toISOString()}), past maxClockOffsetMs (${maxClockOffsetMs} ms): fix node ${remote.nodeId}'s clock (\`skew ${remote.nodeId} 0\` on a quartet cluster) or raise maxClockOffsetMs.`,
  );
}

function formatAheadMs(aheadMs: number): string {
  return aheadMs < 10_000 ? `${aheadMs} ms` : `${Math.round(aheadMs / 1000)} s`;
}

/**
 * Hybrid logical clock (Kulkarni et al.): never goes backwards, and a node that has seen a
 * timestamp stamps every later event above it, even when its wall clock lags. The wall time is
 * passed in, so the same clock runs in a real node and in the simulator. It observes only
 * timestamps within `maxClockOffsetMs` of its wall clock (checkClockOffset).
 */
export class HybridClock {
  readonly nodeId: number;
  readonly maxClockOffsetMs: number;
  #last: Timestamp;

  constructor(nodeId: number, maxClockOffsetMs = Number.POSITIVE_INFINITY) {
    this.nodeId = nodeId;
    this.maxClockOffsetMs = maxClockOffsetMs;
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

  /**
   * Moves the clock past a timestamp received from another node; throws CLOCK_SKEW, unmoved,
   * when it is more than maxClockOffsetMs ahead of `wallMs`.
   */
  observe(remote: Timestamp, wallMs: number): void {
    checkClockOffset(remote, wallMs, this.maxClockOffsetMs);
    this.restore(remote, wallMs);
  }

  /**
   * Moves the clock past a timestamp this node already holds (its store and hints when it
   * opens), however far ahead: its next writes must stamp above its own versions, or they would
   * lose to them.
   */
  restore(remote: Timestamp, wallMs: number): void {
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
