import type { Database } from 'lmdb';
import type { Hint, HintTable } from '../hints.js';
import type { LmdbStore } from './lmdb-store.js';

/** Hints in an LMDB table beside the versions: they survive a crash of the coordinator. */
export class LmdbHintTable implements HintTable {
  readonly #store: LmdbStore;
  readonly #table: Database<Hint, string>;
  /** Writes not yet committed: LMDB reads see only committed data, a replay must see every hint. */
  readonly #uncommitted = new Map<string, { hint: Hint | null }>();

  constructor(store: LmdbStore) {
    this.#store = store;
    this.#table = store.openTable<Hint>('hints');
  }

  get(id: string): Hint | undefined {
    const pending = this.#uncommitted.get(id);
    if (pending !== undefined) return pending.hint ?? undefined;
    return this.#table.get(id);
  }

  put(id: string, hint: Hint): Promise<void> {
    return this.#track(id, hint, this.#store.writeTable(this.#table, id, hint));
  }

  remove(id: string): Promise<void> {
    return this.#track(id, null, this.#store.writeTable(this.#table, id, null));
  }

  #track(id: string, hint: Hint | null, commit: Promise<void>): Promise<void> {
    const write = { hint };
    this.#uncommitted.set(id, write);
    const settle = () => {
      if (this.#uncommitted.get(id) === write) this.#uncommitted.delete(id);
    };
    return commit.finally(settle);
  }

  *entries(): Iterable<[string, Hint]> {
    const uncommitted = new Map(this.#uncommitted);
    for (const { key, value } of this.#table.getRange()) {
      const pending = uncommitted.get(key);
      uncommitted.delete(key);
      if (pending === undefined) yield [key, value];
      else if (pending.hint !== null) yield [key, pending.hint];
    }
    for (const [id, pending] of uncommitted) if (pending.hint !== null) yield [id, pending.hint];
  }
}
