import type { EventQueue } from '../core/event-queue.js';
import type { Random } from '../core/random.js';
import type { HintTable } from '../node/hints.js';
import type { NodeRuntime, TimerHandle } from '../node/runtime.js';
import { noTracer, type Tracer } from '../node/tracer.js';
import type { SimStore } from './sim-store.js';
import type { SimTransport } from './sim-transport.js';

/** Per-node clock settings: an offset added to the wall clock and its resolution (floor). */
export interface NodeClockSettings {
  skewMs: number;
  resolutionMs: number;
}

/** Virtual time 0 is this wall-clock time, so that negative skews stay above zero. */
export const wallClockBaseMs = 1_000_000;

/** Counts the background work (promises) in flight, so the simulator can let it finish. */
export interface WorkTracker {
  pending: number;
}

export interface SimRuntimeOptions {
  queue: EventQueue;
  random: Random;
  transport: SimTransport;
  store: SimStore;
  hints: HintTable;
  clock: () => NodeClockSettings;
  /** False once this process crashed: its timers and deferred work never run again. */
  alive: () => boolean;
  tracker: WorkTracker;
  /** Where the trace goes (none by default). */
  tracer?: Tracer;
}

interface SimTimer {
  cancelled: boolean;
}

/**
 * One simulated process's runtime: the virtual clock (with the node's skew and resolution),
 * timers on the event queue, and its peers on the VirtualNetwork. What a crashed process had
 * scheduled dies with it.
 */
export class SimRuntime implements NodeRuntime {
  readonly random: Random;
  readonly transport: SimTransport;
  readonly store: SimStore;
  readonly hints: HintTable;
  readonly tracer: Tracer;
  readonly #options: SimRuntimeOptions;
  readonly #queue: EventQueue;

  constructor(options: SimRuntimeOptions) {
    this.#options = options;
    this.#queue = options.queue;
    this.random = options.random;
    this.transport = options.transport;
    this.store = options.store;
    this.hints = options.hints;
    this.tracer = options.tracer ?? noTracer;
  }

  nowMs(): number {
    return this.#queue.nowUs / 1000;
  }

  wallMs(): number {
    const { skewMs, resolutionMs } = this.#options.clock();
    const wall = wallClockBaseMs + this.#queue.nowUs / 1000 + skewMs;
    return Math.max(0, Math.floor(wall / resolutionMs) * resolutionMs);
  }

  setTimer(delayMs: number, run: () => void): TimerHandle {
    const timer: SimTimer = { cancelled: false };
    const alive = this.#options.alive;
    this.#queue.after(delayMs * 1000, () => {
      if (!timer.cancelled && alive()) run();
    });
    return { timer };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (handle !== undefined) (handle.timer as SimTimer).cancelled = true;
  }

  every(intervalMs: number, run: () => void): TimerHandle {
    const timer: SimTimer = { cancelled: false };
    const alive = this.#options.alive;
    const tick = () => {
      if (timer.cancelled || !alive()) return;
      run();
      this.#queue.after(intervalMs * 1000, tick, true);
    };
    this.#queue.after(intervalMs * 1000, tick, true);
    return { timer };
  }

  defer(run: () => void): void {
    const alive = this.#options.alive;
    this.#queue.after(0, () => alive() && run());
  }

  track(work: Promise<unknown>): void {
    const tracker = this.#options.tracker;
    tracker.pending++;
    void work.then(
      () => tracker.pending--,
      () => tracker.pending--,
    );
  }
}
