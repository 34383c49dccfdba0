import type { Version } from '../../core/version.js';
import { tombstoneDelta, type Store } from './store.js';

/** Versions in a Map: fast, and gone when the process exits. */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  /** A memory store always starts empty. */
  readonly newestAtOpen = undefined;
  readonly #versions = new Map<string, Version>();
  #tombstones = 0;

  get(key: string): Version | undefined {
    return this.#versions.get(key);
  }

  put(key: string, version: Version): void {
    this.#tombstones += tombstoneDelta(this.#versions.get(key), version);
    this.#versions.set(key, version);
  }

  remove(key: string): void {
    this.#tombstones += tombstoneDelta(this.#versions.get(key), undefined);
    this.#versions.delete(key);
  }

  entries(): IterableIterator<[string, Version]> {
    return this.#versions.entries();
  }

  get size(): number {
    return this.#versions.size;
  }

  get tombstones(): number {
    return this.#tombstones;
  }

  async close(): Promise<void> {
    this.#versions.clear();
  }
}
