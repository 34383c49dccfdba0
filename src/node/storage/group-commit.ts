import assert from 'node:assert/strict';

/** Most writes one group commit carries; the rest ride the one after it. */
export const groupCommitWritesMax = 4096;

/** Starts one write and resolves once it is committed and flushed to disk. */
export type ApplyWrite = () => Promise<unknown>;

interface QueuedWrite {
  apply: ApplyWrite;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit as databases do it: a write that finds no commit in flight starts one at once
 * (a lone writer never waits for company); writes that arrive while a commit (and its fsync) is
 * in flight queue up and all ride the next one. The queue is bounded by the requests the node
 * lets in (in-flight requests per connection times connections), not here.
 */
export class GroupCommit {
  readonly #queued: QueuedWrite[] = [];
  readonly #idleWaiters: (() => void)[] = [];
  #inFlight = false;
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

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (!this.#inFlight) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  // Every write of a group starts in one JS turn, so lmdb-js puts them in one transaction.
  #commitQueued(): void {
    assert(!this.#inFlight, 'a group commit starts only when none is in flight');
    const group = this.#queued.splice(0, groupCommitWritesMax);
    assert(group.length > 0, 'a group commit carries at least one write');
    this.#inFlight = true;
    this.commits++;
    const outcomes = group.map((write) => startWrite(write.apply));
    void Promise.allSettled(outcomes).then((settled) => {
      this.#inFlight = false;
      // The next group starts before this one's writers hear back, so its commit is not delayed.
      if (this.#queued.length > 0) this.#commitQueued();
      else for (const wake of this.#idleWaiters.splice(0)) wake();
      settled.forEach((outcome, index) => {
        const write = group[index]!;
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
