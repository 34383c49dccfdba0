import { compareOps } from './context.js';
import type { Operation } from './operations.js';

/** An acknowledged write stamped older than a version already seen before the write began. */
export interface OverwrittenWrite {
  write: Operation;
  /** The operation that completed before the write began with a newer timestamp. */
  newer: Operation;
}

/**
 * Acknowledged writes that last-write-wins threw away at once: something completed before the
 * write began carried a newer timestamp (clock skew, coarse timestamps, or a clock that forgot
 * its past on restart), so the write, though acknowledged, never became the key's value.
 */
export function findOverwrittenWrites(operations: readonly Operation[]): OverwrittenWrite[] {
  const seen = operations
    .filter((op) => op.ok && op.ts !== undefined)
    .sort((a, b) => a.completeMs - b.completeMs);
  const newest: Operation[] = [];
  for (const op of seen) {
    const previous = newest[newest.length - 1];
    newest.push(previous !== undefined && compareOps(previous, op) > 0 ? previous : op);
  }
  const overwritten: OverwrittenWrite[] = [];
  for (const write of operations) {
    if (!write.isWrite || !write.ok || write.ts === undefined) continue;
    let low = 0;
    let high = seen.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (seen[mid]!.completeMs < write.invokeMs) low = mid + 1;
      else high = mid;
    }
    const newer = low > 0 ? newest[low - 1]! : undefined;
    if (newer !== undefined && compareOps(newer, write) > 0) overwritten.push({ write, newer });
  }
  return overwritten;
}
