import type { Database } from 'lmdb';
import type { Hint, HintTable } from '../hints.js';
import type { LmdbStore } from './lmdb-store.js';

/** Hints in an LMDB table beside the versions: they survive a crash of the coordinator. */
export class LmdbHintTable implements HintTable {
  readonly #table: Database<Hint, string>;

  constructor(store: LmdbStore) {
    this.#table = store.openTable<Hint>('hints');
  }

  get(id: string): Hint | undefined {
    return this.#table.get(id);
  }

  put(id: string, hint: Hint): Promise<boolean> {
    return this.#table.put(id, hint);
  }

  remove(id: string): Promise<boolean> {
    return this.#table.remove(id);
  }

  *entries(): Iterable<[string, Hint]> {
    for (const { key, value } of this.#table.getRange()) yield [key, value];
  }
}
