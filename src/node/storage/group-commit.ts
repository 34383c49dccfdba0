import assert from 'node:assert/strict';

/** Most writes one group commit carries; the rest ride the one after it. */
export const groupCommitWritesMax = 4096;

/** One started write: its transaction's commit, and its flush to disk (fsync) after it. */
export interface StartedWrite {
  committed: Promise<unknown>;
  flushed: Promise<unknown>;
}

/** Starts one write. */
export type ApplyWrite = () => StartedWrite;

interface QueuedWrite {
  apply: ApplyWrite;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit as databases do it: a write that finds no commit in flight starts one at once
 * (a lone writer never waits for company); writes that arrive while a commit is in flight queue
 * up and all ride the next one, which starts when that commit is done, while its fsync may still
 * run (lmdb-js's overlapping sync). A write resolves once it is flushed. The queue is bounded by
 * the requests the node lets in (in-flight requests per connection times connections), not here.
 */
export class GroupCommit {
  readonly #queued: QueuedWrite[] = [];
  readonly #idleWaiters: (() => void)[] = [];
  #inFlight = false;
  /** Groups committed whose fsync is still running. */
  #flushing = 0;
  /** Commits started, for tests and figures. */
  commits = 0;

  submit(apply: ApplyWrite): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queued.push({ apply, resolve, reject });
      if (!this.#inFlight) this.#commitQueued();
    });
  }

  get queued(): number {
    return this.#queued.length;
  }

  get inFlight(): boolean {
    return this.#inFlight;
  }

  /** Resolves once nothing is queued, committing or flushing. */
  idle(): Promise<void> {
    if (!this.#inFlight && this.#flushing === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  // Every write of a group starts in one JS turn, so lmdb-js puts them in one transaction.
  #commitQueued(): void {
    assert(!this.#inFlight, 'a group commit starts only when none is in flight');
    const group = this.#queued.splice(0, groupCommitWritesMax);
    assert(group.length > 0, 'a group commit carries at least one write');
    this.#inFlight = true;
    this.commits++;
    const started = group.map((write) => startWrite(write.apply));
    void Promise.allSettled(started.map((write) => write.committed)).then(() => {
      this.#inFlight = false;
      if (this.#queued.length > 0) this.#commitQueued();
      else if (this.#flushing === 0) this.#wakeIdle();
    });
    this.#flushing++;
    void Promise.allSettled(started.map(settleBoth)).then((settled) => {
      this.#flushing--;
      if (!this.#inFlight && this.#flushing === 0) this.#wakeIdle();
      settled.forEach((outcome, index) => {
        const write = group[index];
        assert(write !== undefined, 'one outcome per write of the group');
        if (outcome.status === 'fulfilled') write.resolve();
        else write.reject(outcome.reason);
      });
    });
  }

  #wakeIdle(): void {
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }
}

// A write that throws at once (a key LMDB refuses) fails alone, not its whole group.
function startWrite(apply: ApplyWrite): StartedWrite {
  try {
    return apply();
  } catch (error) {
    const failed = Promise.reject(error);
    return { committed: failed, flushed: failed };
  }
}

function settleBoth(write: StartedWrite): Promise<unknown> {
  return Promise.all([write.committed, write.flushed]);
}
