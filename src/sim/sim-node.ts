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
  /**
   * With durability `none`: how long an applied write stays unsynced (a crash reverts it).
   * 0 for `sync`/`batch`, where a write is on disk before the replica acknowledges it.
   */
  unsyncedWindowMs = 0;
  /** Writes applied within the unsynced window, oldest first, with the version they replaced. */
  readonly #unsynced: { atMs: number; key: string; previous: Version | undefined }[] = [];

  readonly #maxClockOffsetMs: number;

  constructor(
    id: number,
    peers: readonly number[],
    clockSettings: NodeClockSettings,
    maxClockOffsetMs = Number.POSITIVE_INFINITY,
  ) {
    this.id = id;
    this.#maxClockOffsetMs = maxClockOffsetMs;
    this.clock = new HybridClock(id, maxClockOffsetMs);
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

  /**
   * A replica applying a write or a repair: last write wins, as in the real node. A version
   * from a peer stamped past maxClockOffsetMs ahead throws CLOCK_SKEW, unstored.
   */
  applyWrite(key: string, version: Version, nowMs: number, fromPeer: boolean): SimWriteAck {
    if (fromPeer) this.clock.observe(version.ts, this.wallMs(nowMs));
    const held = this.store.get(key);
    const decision = decideWrite(held, version);
    if (decision.apply) {
      if (this.unsyncedWindowMs > 0) this.#trackUnsynced(nowMs, key, held);
      this.store.set(key, version);
    }
    const ack: SimWriteAck = { created: decision.created, applied: decision.apply };
    if (held !== undefined) ack.before = held.ts;
    return ack;
  }

  /**
   * The process dies: a node without durable storage loses its data; with durability `none` it
   * loses the writes of its last unsynced window. Returns how many versions were lost.
   */
  crash(durable: boolean, nowMs: number): number {
    this.up = false;
    this.incarnation++;
    if (!durable) {
      const lost = this.store.size;
      this.store.clear();
      return lost;
    }
    let lost = 0;
    for (let i = this.#unsynced.length - 1; i >= 0; i--) {
      const write = this.#unsynced[i]!;
      if (write.atMs <= nowMs - this.unsyncedWindowMs) break;
      if (write.previous === undefined) this.store.delete(write.key);
      else this.store.set(write.key, write.previous);
      lost++;
    }
    this.#unsynced.length = 0;
    return lost;
  }

  /** A new process: its clock starts from the wall clock, above every version it still holds. */
  restart(nowMs: number): void {
    this.up = true;
    this.clock = new HybridClock(this.id, this.#maxClockOffsetMs);
    const wallMs = this.wallMs(nowMs);
    for (const version of this.store.values()) this.clock.restore(version.ts, wallMs);
  }

  #trackUnsynced(nowMs: number, key: string, previous: Version | undefined): void {
    let synced = 0;
    while (
      synced < this.#unsynced.length &&
      this.#unsynced[synced]!.atMs <= nowMs - this.unsyncedWindowMs
    )
      synced++;
    if (synced > 0) this.#unsynced.splice(0, synced);
    this.#unsynced.push({ atMs: nowMs, key, previous });
  }
}

/** Virtual time 0 is this wall-clock time, so that negative skews stay above zero. */
export const wallClockBaseMs = 1_000_000;
