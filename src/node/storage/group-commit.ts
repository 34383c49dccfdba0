import assert from 'node:assert/strict';

/** Most writes one group commit carries; the rest ride the one after it. */
export const groupCommitWritesMax = 4096;
/**
 * Groups committing (or flushing) at once. lmdb-js tells JS that a transaction committed only
 * when its fsync is done, so with one group at a time every commit would wait for the previous
 * fsync; two let a commit overlap the previous group's fsync (lmdb-js's overlapping sync).
 */
export const groupCommitsInFlightMax = 2;

/** Starts one write and resolves once it is committed and flushed to disk. */
export type ApplyWrite = () => Promise<unknown>;

interface QueuedWrite {
  apply: ApplyWrite;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit as databases do it: a write that finds a free commit slot starts its commit at
 * once (a lone writer never waits for company); writes that arrive while every slot is taken
 * queue up and all ride the next commit. The queue is bounded by the requests the node lets in
 * (in-flight requests per connection times connections), not here.
 */
export class GroupCommit {
  readonly #queued: QueuedWrite[] = [];
  readonly #idleWaiters: (() => void)[] = [];
  #inFlight = 0;
  /** Commits started, for tests and figures. */
  commits = 0;

  submit(apply: ApplyWrite): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queued.push({ apply, resolve, reject });
      if (this.#inFlight < groupCommitsInFlightMax) this.#commitQueued();
    });
  }

  get queued(): number {
    return this.#queued.length;
  }

  /** Groups committing or flushing now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  // Every write of a group starts in one JS turn, so lmdb-js puts them in one transaction.
  #commitQueued(): void {
    assert(this.#inFlight < groupCommitsInFlightMax, 'a group commit starts only in a free slot');
    const group = this.#queued.splice(0, groupCommitWritesMax);
    assert(group.length > 0, 'a group commit carries at least one write');
    this.#inFlight++;
    this.commits++;
    const started = group.map((write) => startWrite(write.apply));
    void Promise.allSettled(started).then((settled) => {
      this.#inFlight--;
      // The next group starts before this one's writers hear back, so its commit is not delayed.
      if (this.#queued.length > 0) this.#commitQueued();
      else if (this.#inFlight === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
      settled.forEach((outcome, index) => {
        const write = group[index];
        assert(write !== undefined, 'one outcome per write of the group');
        if (outcome.status === 'fulfilled') write.resolve();
        else write.reject(outcome.reason);
      });
    });
  }
}

// A write that throws at once (a key LMDB refuses) fails alone, not its whole group.
function startWrite(apply: ApplyWrite): Promise<unknown> {
  try {
    return apply();
  } catch (error) {
    return Promise.reject(error);
  }
}
