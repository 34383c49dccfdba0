import { setTimeout as sleep } from 'node:timers/promises';
import type { RepairRecord } from '../records.js';

export type WaitOutcome = 'matched' | 'settled' | 'timeout';

export interface WaitOptions {
  /** True once the read can send no more repairs (its coordinator has nothing in flight). */
  isSettled: () => Promise<boolean>;
  boundMs: number;
}

const pollMs = 25;

/** Every read repair reported while a file runs, by the `seq` of the read that caused it. */
export class RepairLog {
  readonly all: RepairRecord[] = [];
  readonly #bySeq = new Map<number, RepairRecord[]>();
  readonly #listeners = new Set<() => void>();

  add(record: RepairRecord): void {
    this.all.push(record);
    const list = this.#bySeq.get(record.seq);
    if (list === undefined) this.#bySeq.set(record.seq, [record]);
    else list.push(record);
    for (const listener of [...this.#listeners]) listener();
  }

  forRead(seq: number): readonly RepairRecord[] {
    return this.#bySeq.get(seq) ?? [];
  }

  /**
   * Waits until `matches` holds for the read's repairs, the read is settled (no repair can come
   * any more), or `boundMs` passed, whichever is first.
   */
  async waitFor(
    seq: number,
    matches: (repairs: readonly RepairRecord[]) => boolean,
    options: WaitOptions,
  ): Promise<WaitOutcome> {
    const deadlineMs = performance.now() + options.boundMs;
    for (;;) {
      if (matches(this.forRead(seq))) return 'matched';
      if (performance.now() >= deadlineMs) return 'timeout';
      const settled = await options.isSettled();
      // Repairs are reported before the coordinator counts the read finished: look once more.
      if (matches(this.forRead(seq))) return 'matched';
      if (settled) return 'settled';
      await this.#next(Math.min(pollMs, Math.max(0, deadlineMs - performance.now())));
    }
  }

  // Resolves on the next repair reported, or after waitMs.
  async #next(waitMs: number): Promise<void> {
    const timer = new AbortController();
    let listener: (() => void) | undefined;
    const added = new Promise<void>((resolve) => {
      listener = resolve;
      this.#listeners.add(resolve);
    });
    try {
      await Promise.race([added, sleep(waitMs, undefined, { signal: timer.signal })]);
    } finally {
      timer.abort();
      if (listener !== undefined) this.#listeners.delete(listener);
    }
  }
}
