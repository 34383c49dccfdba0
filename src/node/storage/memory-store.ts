import type { Version } from '../../core/version.js';
import type { Store } from './store.js';

/** Versions in a Map: fast, and gone when the process exits. */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly #versions = new Map<string, Version>();

  get(key: string): Version | undefined {
    return this.#versions.get(key);
  }

  put(key: string, version: Version): void {
    this.#versions.set(key, version);
  }

  remove(key: string): void {
    this.#versions.delete(key);
  }

  entries(): IterableIterator<[string, Version]> {
    return this.#versions.entries();
  }

  get size(): number {
    return this.#versions.size;
  }

  async close(): Promise<void> {
    this.#versions.clear();
  }
}
