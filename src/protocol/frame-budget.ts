import { QuartetError } from '../core/errors.js';

/**
 * Bytes of incomplete frames held across many connections, against one bound: what a node may
 * buffer for frames still arriving, however many connections send them.
 */
export class FrameBudget {
  readonly bytesMax: number;
  #usedBytes = 0;

  constructor(bytesMax: number) {
    if (!Number.isSafeInteger(bytesMax) || bytesMax <= 0)
      throw new QuartetError('INTERNAL', 'A frame budget is a positive size.');
    this.bytesMax = bytesMax;
  }

  get usedBytes(): number {
    return this.#usedBytes;
  }

  /** Takes `bytes` from the budget, or throws OVERLOADED when they do not fit. */
  take(bytes: number): void {
    if (this.#usedBytes + bytes > this.bytesMax) {
      throw new QuartetError(
        'OVERLOADED',
        `The node already holds ${this.#usedBytes} bytes of incomplete frames (limit ${this.bytesMax}); send each frame whole and promptly, or retry later.`,
      );
    }
    this.#usedBytes += bytes;
  }

  give(bytes: number): void {
    if (bytes < 0 || bytes > this.#usedBytes)
      throw new QuartetError('INTERNAL', 'A frame budget gets back only what it gave.');
    this.#usedBytes -= bytes;
  }
}
