import { open, type Database, type RootDatabase } from 'lmdb';
import { compareTimestamps, type Timestamp } from '../../core/clock.js';
import { noneCommitDelayMs } from '../../core/durability.js';
import type { Version } from '../../core/version.js';
import { tombstoneDelta, type Store } from './store.js';
import { TurnCommit } from './turn-commit.js';

export type Durability = 'sync' | 'batch' | 'none';

/** The page size the data file is written with; the startup check relies on it. */
export const lmdbPageBytes = 4096;
export { noneCommitDelayMs };
/** With `none`, writes held that start a commit before noneCommitDelayMs is up. */
export const noneCommitWritesMax = 100_000;

/**
 * Versions in LMDB (lmdb-js): a memory-mapped B+tree with real transactions. With `sync` and
 * `batch` a put resolves only once its commit is flushed to disk (fsync): the writes of one event
 * turn (versions, hints, meta) share one synchronous transaction at the end of the turn
 * (TurnCommit), so a lone write waits for no company. With `none` puts do not wait and are never
 * synced.
 */
export class LmdbStore implements Store {
  readonly kind: string;
  readonly path: string;
  readonly #root: RootDatabase;
  readonly #versions: Database<Version, string>;
  readonly #meta: Database<unknown, string>;
  readonly #durability: Durability;
  /** With `sync` and `batch`: the group commit every write goes through. */
  readonly #commit: TurnCommit | undefined;
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
      // sync and batch commit in synchronous transactions (TurnCommit), which fsync the data
      // and write the meta page through LMDB's O_DSYNC descriptor before they return (lmdb-js's
      // overlapping sync, on by default, applies only to its asynchronous commits, kept for a
      // data file's layout). `none` holds its writes itself (below) for noneCommitDelayMs, the
      // window a crash loses, and commits them unsynced.
      compression: false,
    });
    this.#commit = durability === 'none' ? undefined : new TurnCommit(this.#root);
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
    return this.#track(key, version, this.#commit!.write(this.#versions, key, version));
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
    return this.#track(key, null, this.#commit!.write(this.#versions, key, null));
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

  #track(key: string, version: Version | null, commit: Promise<unknown>): Promise<void> {
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
    return this.writeTable(this.#meta, name, value);
  }

  /**
   * A write to a table of this file (null: a remove), committed as the store's own are: with the
   * turn's synced commit under `sync` and `batch`, unsynced by lmdb-js under `none`.
   */
  writeTable<V>(table: Database<V, string>, key: string, value: V | null): Promise<void> {
    if (this.#commit !== undefined) return this.#commit.write(table, key, value);
    const commit = value === null ? table.remove(key) : table.put(key, value);
    return commit.then(() => undefined);
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
    this.#commit?.commit();
    await this.#root.flushed;
    await this.#root.close();
  }
}
