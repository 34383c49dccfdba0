import { HybridClock } from '../core/clock.js';
import { decideWrite } from '../core/replica.js';
import type { Version } from '../core/version.js';

/** Per-node clock settings: an offset added to the wall clock and its resolution (floor). */
export interface NodeClockSettings {
  skewMs: number;
  resolutionMs: number;
}

export interface SimWriteAck {
  created: boolean;
  applied: boolean;
  before?: Version['ts'];
}

/**
 * The state of one simulated node: its store, its hybrid clock, whether it is up, and which
 * peers it believes it can reach. The coordination logic lives in SimCoordinator.
 */
export class SimNode {
  readonly id: number;
  readonly store = new Map<string, Version>();
  /** This node's view of its peers: false once it saw the connection break. */
  readonly reachable = new Map<number, boolean>();
  clockSettings: NodeClockSettings;
  clock: HybridClock;
  up = true;
  /** Bumped by every crash: messages and timers of an earlier life are ignored. */
  incarnation = 0;

  constructor(id: number, peers: readonly number[], clockSettings: NodeClockSettings) {
    this.id = id;
    this.clock = new HybridClock(id);
    this.clockSettings = clockSettings;
    for (const peer of peers) if (peer !== id) this.reachable.set(peer, true);
  }

  /** The wall clock this node's HybridClock sees at virtual time `nowMs`. */
  wallMs(nowMs: number): number {
    const { skewMs, resolutionMs } = this.clockSettings;
    const wall = Math.floor((wallClockBaseMs + nowMs + skewMs) / resolutionMs) * resolutionMs;
    return Math.max(0, wall);
  }

  isReachable(peer: number): boolean {
    return peer === this.id || this.reachable.get(peer) === true;
  }

  /** A replica applying a write or a repair: last write wins, as in the real node. */
  applyWrite(key: string, version: Version, nowMs: number, fromPeer: boolean): SimWriteAck {
    if (fromPeer) this.clock.observe(version.ts, this.wallMs(nowMs));
    const held = this.store.get(key);
    const decision = decideWrite(held, version);
    if (decision.apply) this.store.set(key, version);
    const ack: SimWriteAck = { created: decision.created, applied: decision.apply };
    if (held !== undefined) ack.before = held.ts;
    return ack;
  }

  /** The process dies: a node without durable storage loses its data. */
  crash(durable: boolean): void {
    this.up = false;
    this.incarnation++;
    if (!durable) this.store.clear();
  }

  /** A new process: its clock state is in memory, so it starts over from the wall clock. */
  restart(): void {
    this.up = true;
    this.clock = new HybridClock(this.id);
  }
}

/** Virtual time 0 is this wall-clock time, so that negative skews stay above zero. */
export const wallClockBaseMs = 1_000_000;
