import type { LevelName } from '../core/levels.js';
import { ackedBy, answeredBy, compareOps, type CheckContext } from './context.js';
import type { Operation } from './operations.js';

/** A read that returned a version older than a write that completed before the read began. */
export interface StaleRead {
  read: Operation;
  /** The newest (by timestamp) write that completed before the read began. */
  missed: Operation;
  /** The replicas that held the missed write for this read lost their data in a crash. */
  dataLoss: boolean;
}

export interface ReadObservation {
  read: Operation;
  /** The level of the newest write completed before the read began; '-' when none had. */
  writeLevel: LevelName | '-';
  stale?: StaleRead;
}

/**
 * Judges each successful read of one key (final reads excepted) against the newest write, by
 * timestamp, that completed before the read began: quorum intersection promises at least that.
 */
export function observeReads(
  operations: readonly Operation[],
  context: CheckContext,
): ReadObservation[] {
  const writes = operations
    .filter((op) => op.isWrite && op.ok && op.ts !== undefined)
    .sort((a, b) => a.completeMs - b.completeMs);
  // newest[i]: the write with the highest timestamp among the first i + 1 completions.
  const newest: Operation[] = [];
  for (const write of writes) {
    const previous = newest[newest.length - 1];
    newest.push(previous !== undefined && compareOps(previous, write) > 0 ? previous : write);
  }
  const observations: ReadObservation[] = [];
  for (const read of operations) {
    if (read.isWrite || !read.ok || read.final) continue;
    const index = lastBefore(writes, read.invokeMs);
    const missed = index < 0 ? undefined : newest[index]!;
    const observation: ReadObservation = { read, writeLevel: missed?.level ?? '-' };
    if (missed !== undefined && compareOps(read, missed) < 0) {
      observation.stale = { read, missed, dataLoss: lostToCrash(missed, read, context) };
    }
    observations.push(observation);
  }
  return observations;
}

// Index of the last write that completed strictly before `timeMs`, or -1.
function lastBefore(writes: readonly Operation[], timeMs: number): number {
  let low = 0;
  let high = writes.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (writes[mid]!.completeMs < timeMs) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

// The replicas that acknowledged the write and answered the read all crashed and lost data.
function lostToCrash(write: Operation, read: Operation, context: CheckContext): boolean {
  const acked = ackedBy(write);
  const answered = answeredBy(read);
  if (acked === undefined || answered === undefined)
    return context.crashedBetween(write.key, undefined, write.invokeMs, read.completeMs, true);
  const overlap = acked.filter((node) => answered.includes(node));
  return overlap.length > 0 && context.allLostBetween(overlap, write.invokeMs, read.completeMs);
}
