import { compareTimestamps, type Timestamp } from '../core/clock.js';
import type { Version } from '../core/version.js';
import { MemoryStore } from '../node/storage/memory-store.js';
import type { Store } from '../node/storage/store.js';

/** A simulated node's store is small: a run holds a few keys, not millions. */
const simStoreSizes = { slabBytes: 4 * 1024, indexSlotsInitial: 16 };

interface UnsyncedWrite {
  atMs: number;
  key: string;
  previous: Version | undefined;
}

/**
 * A simulated node's store: the node's MemoryStore, plus what a crash does to a durable one.
 * With durability `none` a write stays unsynced for `unsyncedWindowMs` and a crash reverts it;
 * with `sync`/`batch` (window 0) the write was on disk before the replica acknowledged it.
 */
export class SimStore implements Store {
  readonly kind = 'memory';
  readonly #nowMs: () => number;
  readonly #unsyncedWindowMs: number;
  #store = new MemoryStore(simStoreSizes);
  /** Writes applied within the unsynced window, oldest first, with the version they replaced. */
  readonly #unsynced: UnsyncedWrite[] = [];
  #newestAtOpen: Timestamp | undefined;
  /** Its own count: a crash replaces the MemoryStore, whose count starts over. */
  #changes = 0;

  constructor(nowMs: () => number, unsyncedWindowMs: number) {
    this.#nowMs = nowMs;
    this.#unsyncedWindowMs = unsyncedWindowMs;
  }

  get newestAtOpen(): Timestamp | undefined {
    return this.#newestAtOpen;
  }

  get size(): number {
    return this.#store.size;
  }

  get tombstones(): number {
    return this.#store.tombstones;
  }

  get changes(): number {
    return this.#changes;
  }

  get(key: string): Version | undefined {
    return this.#store.get(key);
  }

  put(key: string, version: Version): void {
    this.#changes++;
    if (this.#unsyncedWindowMs > 0) this.#trackUnsynced(key, this.#store.get(key));
    this.#store.put(key, version);
  }

  remove(key: string): void {
    this.#changes++;
    if (this.#unsyncedWindowMs > 0) this.#trackUnsynced(key, this.#store.get(key));
    this.#store.remove(key);
  }

  entries(): IterableIterator<[string, Version]> {
    return this.#store.entries();
  }

  async close(): Promise<void> {}

  /**
   * The process died: a store that is not durable loses everything; a durable one the writes
   * of its unsynced window. Returns how many versions were lost.
   */
  crash(durable: boolean): number {
    this.#changes++;
    if (!durable) {
      const lost = this.#store.size;
      this.#store = new MemoryStore(simStoreSizes);
      return lost;
    }
    const nowMs = this.#nowMs();
    let lost = 0;
    for (let i = this.#unsynced.length - 1; i >= 0; i--) {
      const write = this.#unsynced[i]!;
      if (write.atMs <= nowMs - this.#unsyncedWindowMs) break;
      if (write.previous === undefined) this.#store.remove(write.key);
      else this.#store.put(write.key, write.previous);
      lost++;
    }
    this.#unsynced.length = 0;
    return lost;
  }

  /** A new process opens the store: its one scan finds the newest timestamp held. */
  open(): void {
    let newest: Timestamp | undefined;
    for (const [, version] of this.#store.entries())
      if (newest === undefined || compareTimestamps(version.ts, newest) > 0) newest = version.ts;
    this.#newestAtOpen = newest;
  }

  #trackUnsynced(key: string, previous: Version | undefined): void {
    const nowMs = this.#nowMs();
    let synced = 0;
    while (
      synced < this.#unsynced.length &&
      this.#unsynced[synced]!.atMs <= nowMs - this.#unsyncedWindowMs
    )
      synced++;
    if (synced > 0) this.#unsynced.splice(0, synced);
    this.#unsynced.push({ atMs: nowMs, key, previous });
  }
}
