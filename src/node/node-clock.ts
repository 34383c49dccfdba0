import { HybridClock, type Timestamp } from '../core/clock.js';

/**
 * A node's hybrid clock over its wall clock. The wall clock is the runtime's shifted by `skewMs`,
 * which the orchestrator's `skew N ±DURATION` sets, so a real cluster can run with skewed
 * clocks as the simulator does. Timestamps from elsewhere are observed only within the
 * cluster's maxClockOffsetMs (HybridClock.observe refuses the rest with CLOCK_SKEW).
 */
export class NodeClock {
  readonly #clock: HybridClock;
  readonly #machineWallMs: () => number;
  skewMs = 0;

  /** `machineWallMs`: the runtime's wall clock (Date.now in a process). */
  constructor(nodeId: number, maxClockOffsetMs: number, machineWallMs: () => number) {
    this.#clock = new HybridClock(nodeId, maxClockOffsetMs);
    this.#machineWallMs = machineWallMs;
  }

  get maxClockOffsetMs(): number {
    return this.#clock.maxClockOffsetMs;
  }

  get last(): Timestamp {
    return this.#clock.last;
  }

  /** This node's wall clock, skew included. */
  wallMs(): number {
    return this.#machineWallMs() + this.skewMs;
  }

  /** A timestamp for a write this node coordinates. */
  stamp(): Timestamp {
    return this.#clock.stamp(this.wallMs());
  }

  /** A timestamp from a peer; throws CLOCK_SKEW, the clock unmoved, when it is too far ahead. */
  observe(remote: Timestamp): void {
    this.#clock.observe(remote, this.wallMs());
  }

  /** A timestamp this node holds already (its store or hints at open); never refused. */
  restore(held: Timestamp): void {
    this.#clock.restore(held, this.wallMs());
  }
}
