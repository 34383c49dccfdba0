import type { Database, RootDatabase } from 'lmdb';

/**
 * The turns a commit waits past its own while each brings more writes: the bound on the latency
 * company adds, one poll of the sockets each.
 */
export const commitTurnsWaitedMax = 2;

/** One write waiting for its turn's commit: a put (value) or a remove (null). */
interface TurnWrite {
  table: Database<unknown, string>;
  key: string;
  value: unknown;
}

/**
 * The group commit of `durability: sync` and `batch`: the writes of one event-loop turn go to
 * LMDB in one synchronous transaction, committed and fsynced on the node's thread at the end of
 * the turn (after the turn's other deferred work, such as the frames to the other replicas), and
 * each write's promise resolves only then: an acknowledged write is on disk. A lone write waits
 * for no company; while a commit's fsync holds the thread, arriving messages wait in the socket
 * and their writes share the next commit. (lmdb-js's asynchronous path hands every commit to a
 * write thread and its fsync to a sync thread and back: ~8 thread wake-ups per commit, which on
 * a loaded machine cost a lone writer more than the fsync itself.)
 */
export class TurnCommit {
  readonly #root: RootDatabase;
  #writes: TurnWrite[] = [];
  #settles: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  #scheduled = false;
  /** Writes waiting when the commit last looked, and the turns it has waited past the first. */
  #seen = 0;
  #waited = 0;

  constructor(root: RootDatabase) {
    this.#root = root;
  }

  /** Writes `value` (null: removes) under `key` with this turn's commit; resolves once synced. */
  write<V>(table: Database<V, string>, key: string, value: V | null): Promise<void> {
    this.#writes.push({ table: table as Database<unknown, string>, key, value });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#afterTurn);
    }
    return new Promise((resolve, reject) => this.#settles.push({ resolve, reject }));
  }

  // An immediate scheduled from an immediate runs after every immediate queued this turn, and
  // after the next poll of the sockets: writes that arrived by then join the commit.
  readonly #afterTurn = () => {
    this.#seen = this.#writes.length;
    setImmediate(this.#commitOrWait);
  };

  // Company arrived in the last poll: others are writing, so wait one more turn for theirs, up to
  // commitTurnsWaitedMax. A lone write finds none and commits at once.
  readonly #commitOrWait = () => {
    const waiting = this.#writes.length;
    if (waiting > this.#seen && this.#waited < commitTurnsWaitedMax) {
      this.#seen = waiting;
      this.#waited++;
      setImmediate(this.#commitOrWait);
      return;
    }
    this.#waited = 0;
    this.commit();
  };

  /** How many writes wait for the next commit. */
  get pending(): number {
    return this.#writes.length;
  }

  /**
   * Commits (and fsyncs) every waiting write now, in one transaction. If LMDB refuses it, each
   * write is committed alone, so only the write at fault fails (the error path pays the fsyncs).
   */
  commit(): void {
    this.#scheduled = false;
    const writes = this.#writes;
    const settles = this.#settles;
    if (writes.length === 0) return;
    this.#writes = [];
    this.#settles = [];
    try {
      this.#transact(writes);
    } catch (error) {
      if (writes.length === 1) settles[0]!.reject(error);
      else writes.forEach((write, index) => this.#commitAlone(write, settles[index]!));
      return;
    }
    for (const settle of settles) settle.resolve();
  }

  #commitAlone(write: TurnWrite, settle: { resolve: () => void; reject: (e: unknown) => void }) {
    try {
      this.#transact([write]);
    } catch (error) {
      settle.reject(error);
      return;
    }
    settle.resolve();
  }

  #transact(writes: TurnWrite[]): void {
    this.#root.transactionSync(() => {
      for (const { table, key, value } of writes) {
        if (value === null) table.remove(key);
        else table.put(key, value);
      }
    });
  }
}
