import { ackedBy, compareOps, tsKey, type CheckContext } from './context.js';
import type { DumpRecord } from './history.js';
import type { Operation } from './operations.js';

/** An acknowledged write the quiet cluster no longer shows: the final read returned older. */
export interface LostWrite {
  write: Operation;
  finalRead: Operation;
  /** A lost delete whose key shows an older value again. */
  resurrected: boolean;
  /** Every replica that acknowledged it lost its data in a crash. */
  dataLoss: boolean;
}

export interface FinalJudgement {
  /** Undefined when the history has no successful final read of the key. */
  finalRead?: Operation;
  lost: LostWrite[];
}

/**
 * Compares every acknowledged write of one key with the key's final read (the last successful
 * read at `all` after the history went quiet). A lost delete that brings back a value is a
 * resurrection; a lost delete whose key still reads as deleted changes nothing a user can see.
 */
export function judgeFinalRead(
  operations: readonly Operation[],
  context: CheckContext,
): FinalJudgement {
  let finalRead: Operation | undefined;
  for (const op of operations) {
    if (!op.isWrite && op.final && op.ok && op.level === 'all') finalRead = op;
  }
  if (finalRead === undefined) return { lost: [] };
  const lost: LostWrite[] = [];
  for (const write of operations) {
    if (!write.isWrite || !write.ok || write.ts === undefined) continue;
    if (compareOps(finalRead, write) >= 0) continue;
    const isDelete = write.value === null;
    if (isDelete && !finalRead.found) continue;
    // Nothing at all on every replica: a later delete's tombstone was purged (past the grace,
    // once every replica held it). Not a lost write.
    if (finalRead.ts === undefined && purgedByLaterDelete(operations, write)) continue;
    const acked = ackedBy(write);
    const dataLoss =
      acked === undefined
        ? context.crashedBetween(write.key, undefined, write.invokeMs, finalRead.invokeMs, true)
        : context.allLostBetween(acked, write.invokeMs, finalRead.invokeMs);
    lost.push({ write, finalRead, resurrected: isDelete, dataLoss });
  }
  return { finalRead, lost };
}

function purgedByLaterDelete(operations: readonly Operation[], write: Operation): boolean {
  return operations.some(
    (op) => op.isWrite && op.value === null && op.ts !== undefined && compareOps(op, write) > 0,
  );
}

/** A key whose replicas hold different versions after the final reads and their repairs. */
export interface Divergence {
  key: string;
  versions: { node: number; version: string }[];
}

/** Compares the replicas' dumps, key by key, over each key's replica set. */
export function findDivergences(
  dumps: readonly DumpRecord[],
  keys: Iterable<string>,
  context: CheckContext,
): Divergence[] {
  if (dumps.length === 0) return [];
  const held = new Map<number, Map<string, string>>();
  for (const dump of dumps) {
    const versions = new Map<string, string>();
    // A tombstone and nothing read alike: a replica that purged a tombstone its peers still
    // hold has not diverged (they purge it in their next pass).
    for (const entry of dump.entries)
      if (entry.value !== null) versions.set(entry.key, `${tsKey(entry.ts)}=${entry.value}`);
    held.set(dump.node, versions);
  }
  const divergences: Divergence[] = [];
  for (const key of keys) {
    const replicas = context.replicasOf(key) ?? [...held.keys()];
    const versions = replicas
      .filter((node) => held.has(node))
      .sort((a, b) => a - b)
      .map((node) => ({ node, version: held.get(node)!.get(key) ?? 'none or deleted' }));
    if (new Set(versions.map((v) => v.version)).size > 1) divergences.push({ key, versions });
  }
  return divergences;
}
