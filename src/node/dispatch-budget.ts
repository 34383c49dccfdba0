import { assert } from '../core/assert.js';

/**
 * What the client operations in flight at one node hold, against node-wide bounds: bytes (a
 * write's key and value, a read's answers) and reads not answered yet (whose size is unknown).
 * Connections dispatch a request only while the budget `admits`; a connection that cannot waits
 * for room, and waiters are woken in the order they began to wait.
 */
export class DispatchBudget {
  readonly bytesMax: number;
  readonly unsizedMax: number;
  #usedBytes = 0;
  #unsized = 0;
  /** What the last read held once sized: what a read not answered yet is counted at. */
  #readBytesExpected = 0;
  readonly #waiters = new Set<() => void>();
  #wakeScheduled = false;

  constructor(bytesMax: number, unsizedMax: number) {
    assert(Number.isSafeInteger(bytesMax) && bytesMax > 0, 'a dispatch budget is a positive size');
    assert(
      Number.isSafeInteger(unsizedMax) && unsizedMax > 0,
      'unsized reads are a positive count',
    );
    this.bytesMax = bytesMax;
    this.unsizedMax = unsizedMax;
  }

  get usedBytes(): number {
    return this.#usedBytes;
  }

  get unsized(): number {
    return this.#unsized;
  }

  /** Whether one more operation may start now. */
  get admits(): boolean {
    return this.#usedBytes < this.bytesMax && this.#unsized < this.unsizedMax;
  }

  /**
   * Counts an operation holding `bytes`. An unsized one (a read) counts as unanswered, and at
   * least as big as the last read was, until it is resized.
   */
  hold(bytes: number, unsized: boolean): BudgetHold {
    return new BudgetHold(
      this,
      unsized ? Math.max(bytes, this.#readBytesExpected) : bytes,
      unsized,
    );
  }

  /** Calls `wake` once when the budget next admits (at once if it does now, after this turn). */
  waitForRoom(wake: () => void): void {
    this.#waiters.add(wake);
    if (this.admits) this.#scheduleWake();
  }

  /** Calls `wake` once after the next operation gives back what it held, if the budget admits. */
  waitForRelease(wake: () => void): void {
    this.#waiters.add(wake);
  }

  cancelWait(wake: () => void): void {
    this.#waiters.delete(wake);
  }

  /** @internal A read's size once its first answer came. */
  noteReadBytes(bytes: number): void {
    this.#readBytesExpected = bytes;
  }

  /** @internal BudgetHold's changes: `bytes` may be negative, `unsized` -1, 0 or 1. */
  change(bytes: number, unsized: number): void {
    this.#usedBytes += bytes;
    this.#unsized += unsized;
    assert(this.#usedBytes >= 0 && this.#unsized >= 0, 'a dispatch budget gets back what it gave');
    if ((bytes < 0 || unsized < 0) && this.#waiters.size > 0 && this.admits) this.#scheduleWake();
  }

  // Woken after the current work, never inside the answer that freed the room: a waiter dispatches.
  #scheduleWake(): void {
    if (this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    queueMicrotask(() => {
      this.#wakeScheduled = false;
      // The ones waiting now: a waiter that waits again is woken on a later release, not in this loop.
      for (const wake of [...this.#waiters]) {
        if (!this.admits) return;
        if (!this.#waiters.delete(wake)) continue;
        wake();
      }
    });
  }
}

/** One operation's share of a DispatchBudget, given back when it is closed. */
export class BudgetHold {
  readonly #budget: DispatchBudget;
  #bytes: number;
  #unsized: boolean;
  #closed = false;

  constructor(budget: DispatchBudget, bytes: number, unsized: boolean) {
    this.#budget = budget;
    this.#bytes = bytes;
    this.#unsized = unsized;
    budget.change(bytes, unsized ? 1 : 0);
  }

  /** The operation now holds `bytes` (its size is known from here on). */
  resize(bytes: number): void {
    if (this.#closed) return;
    const unsized = this.#unsized ? -1 : 0;
    if (this.#unsized) this.#budget.noteReadBytes(bytes);
    this.#unsized = false;
    this.#budget.change(bytes - this.#bytes, unsized);
    this.#bytes = bytes;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#budget.change(-this.#bytes, this.#unsized ? -1 : 0);
  }
}
