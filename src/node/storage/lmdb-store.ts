import { open, type Database, type RootDatabase } from 'lmdb';
import { compareTimestamps, type Timestamp } from '../../core/clock.js';
import { noneCommitDelayMs } from '../../core/durability.js';
import type { Version } from '../../core/version.js';
import { tombstoneDelta, type Store } from './store.js';

export type Durability = 'sync' | 'batch' | 'none';

/** The page size the data file is written with; the startup check relies on it. */
export const lmdbPageBytes = 4096;
export { noneCommitDelayMs };
/** With `none`, writes held that start a commit before noneCommitDelayMs is up. */
export const noneCommitWritesMax = 100_000;

/**
 * Versions in LMDB (lmdb-js): a memory-mapped B+tree with real transactions. With `sync` and
 * `batch` a put resolves only once its commit is flushed to disk (fsync). The group commit is
 * lmdb-js's event-turn batching: the puts of one event turn share a transaction, which starts at
 * once (a lone write waits for no company), and the next turn's transaction commits while the
 * previous fsync runs (overlapping sync). With `none` puts do not wait and are never synced.
 */
export class LmdbStore implements Store {
  readonly kind: string;
  readonly path: string;
  readonly #root: RootDatabase;
  readonly #versions: Database<Version, string>;
  readonly #meta: Database<unknown, string>;
  readonly #durability: Durability;
  /**
   * Writes not yet committed: LMDB reads see only committed data, the store must see its own.
   * Each write is its own object, so an earlier commit never clears a later write of the same key.
   */
  readonly #uncommitted = new Map<string, { version: Version | null }>();
  /** With `none`: the writes held until the next commit, every noneCommitDelayMs. */
  #held: { key: string; write: { version: Version | null } }[] = [];
  #heldTimer: NodeJS.Timeout | undefined;
  #size: number;
  #tombstones = 0;
  #changes = 0;
  newestAtOpen: Timestamp | undefined;

  constructor(path: string, durability: Durability) {
    this.kind = `lmdb, durability ${durability}`;
    this.path = path;
    this.#durability = durability;
    this.#root = open({
      path,
      pageSize: lmdbPageBytes,
      noSync: durability === 'none',
      // lmdb-js 3.5 applies commitDelay only with eventTurnBatching off (its default is on): a
      // write commits with the other writes of its event turn. `none` holds its writes itself
      // (below) for noneCommitDelayMs, which is the window a crash loses.
      commitDelay: 0,
      compression: false,
      // With overlapping sync (lmdb-js's default off Windows) a put resolves at commit and the
      // fsync follows: each write promise then carries `flushed`, which is what sync and batch
      // wait for before the replica acknowledges.
      separateFlushed: true,
    });
    this.#versions = this.#root.openDB<Version, string>({ name: 'versions' });
    this.#meta = this.#root.openDB<unknown, string>({ name: 'meta' });
    this.#size = this.#versions.getCount();
    // One scan at open: the tombstone count (then kept per write) and the newest timestamp.
    for (const { value } of this.#versions.getRange()) {
      if (value.value === null) this.#tombstones++;
      if (this.newestAtOpen === undefined || compareTimestamps(value.ts, this.newestAtOpen) > 0) {
        this.newestAtOpen = value.ts;
      }
    }
  }

  get(key: string): Version | undefined {
    const pending = this.#uncommitted.get(key);
    if (pending !== undefined) return pending.version ?? undefined;
    return this.#versions.get(key);
  }

  put(key: string, version: Version): Promise<void> | void {
    const held = this.get(key);
    this.#changes++;
    if (held === undefined) this.#size++;
    this.#tombstones += tombstoneDelta(held, version);
    if (this.#durability === 'none') {
      this.#hold(key, version);
      return;
    }
    const commit = this.#versions.put(key, version);
    const written = this.#track(key, version, commit);
    const flushed = (commit as Promise<boolean> & { flushed?: Promise<unknown> }).flushed ?? commit;
    return Promise.all([written, flushed]).then(() => undefined);
  }

  remove(key: string): Promise<void> {
    const held = this.get(key);
    this.#changes++;
    if (held !== undefined) this.#size--;
    this.#tombstones += tombstoneDelta(held, undefined);
    if (this.#durability === 'none') {
      this.#hold(key, null);
      return Promise.resolve();
    }
    return this.#track(key, null, this.#versions.remove(key));
  }

  // `none`: the write is seen by this store at once and reaches LMDB with the next commit, so a
  // process crash loses what was written in the last noneCommitDelayMs (the documented window).
  #hold(key: string, version: Version | null): void {
    const write = { version };
    this.#uncommitted.set(key, write);
    this.#held.push({ key, write });
    if (this.#held.length >= noneCommitWritesMax) this.#commitHeld();
    else this.#heldTimer ??= setTimeout(() => this.#commitHeld(), noneCommitDelayMs);
  }

  // One event turn of puts: lmdb-js commits them in one transaction, unsynced.
  #commitHeld(): void {
    if (this.#heldTimer !== undefined) clearTimeout(this.#heldTimer);
    this.#heldTimer = undefined;
    const held = this.#held;
    this.#held = [];
    for (const { key, write } of held) {
      const commit =
        write.version === null
          ? this.#versions.remove(key)
          : this.#versions.put(key, write.version);
      commit.then(
        () => {
          if (this.#uncommitted.get(key) === write) this.#uncommitted.delete(key);
        },
        // A failed commit of unsynced data loses what `none` may lose; the store keeps serving.
        () => {
          if (this.#uncommitted.get(key) === write) this.#uncommitted.delete(key);
        },
      );
    }
  }

  #track(key: string, version: Version | null, commit: Promise<boolean>): Promise<void> {
    const write = { version };
    this.#uncommitted.set(key, write);
    return commit.then(
      () => {
        if (this.#uncommitted.get(key) === write) this.#uncommitted.delete(key);
      },
      (error: unknown) => {
        if (this.#uncommitted.get(key) === write) this.#uncommitted.delete(key);
        throw error;
      },
    );
  }

  *entries(): IterableIterator<[string, Version]> {
    const uncommitted = new Map(this.#uncommitted);
    for (const { key, value } of this.#versions.getRange()) {
      const pending = uncommitted.get(key);
      uncommitted.delete(key);
      if (pending === undefined) yield [key, value];
      else if (pending.version !== null) yield [key, pending.version];
    }
    for (const [key, pending] of uncommitted)
      if (pending.version !== null) yield [key, pending.version];
  }

  get size(): number {
    return this.#size;
  }

  get tombstones(): number {
    return this.#tombstones;
  }

  get changes(): number {
    return this.#changes;
  }

  getMeta<T>(name: string): T | undefined {
    return this.#meta.get(name) as T | undefined;
  }

  putMeta(name: string, value: unknown): Promise<void> {
    return this.#meta.put(name, value).then(() => undefined);
  }

  /** A named sub-database in the same file (hints live beside the versions). */
  openTable<V>(name: string): Database<V, string> {
    return this.#root.openDB<V, string>({ name });
  }

  /** LMDB's id of the last committed transaction (one per commit). */
  get lastTxnId(): number {
    return (this.#root.getStats() as { lastTxnId: number }).lastTxnId;
  }

  async close(): Promise<void> {
    this.#commitHeld();
    await this.#root.flushed;
    await this.#root.close();
  }
}
