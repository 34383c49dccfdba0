import type { Version } from '../core/version.js';
import { versionKey, versionOf } from './context.js';
import type { Operation } from './operations.js';

/** A write and the reads that returned it (Gibbons–Korach): the unit the zone check orders. */
export interface Cluster {
  name: string;
  /** Undefined for the initial state (nothing stored). */
  version?: Version;
  /** Undefined for the initial state or a version written before the history began. */
  write?: Operation;
  reads: Operation[];
  /**
   * Another write produced the very same version (timestamp and value: a clock that started
   * over after a restart). The value may then have been current twice, so the zone check, which
   * needs each value written once, leaves this cluster out.
   */
  rewritten?: boolean;
}

export interface ClusterSet {
  clusters: Cluster[];
  /** Reads of a version that no write in the history produced, on an initially empty cluster. */
  phantoms: Operation[];
}

/**
 * Maps every successful read of one key to the write it returned, by timestamp; a write the
 * history has no timestamp for (a failed write of a real cluster) is matched by value.
 */
export function buildClusters(
  operations: readonly Operation[],
  initiallyEmpty: boolean,
): ClusterSet {
  const byTs = new Map<string, Cluster>();
  const untimed: Operation[] = [];
  for (const op of operations) {
    if (!op.isWrite) continue;
    const version = versionOf(op);
    if (version === undefined) {
      untimed.push(op);
      continue;
    }
    const name = versionKey(version);
    const existing = byTs.get(name);
    if (existing === undefined) byTs.set(name, { name, version, write: op, reads: [] });
    else existing.rewritten = true;
  }
  const phantoms: Operation[] = [];
  for (const read of operations) {
    if (read.isWrite || !read.ok) continue;
    const version = versionOf(read);
    const name = versionKey(version);
    let cluster = byTs.get(name);
    if (cluster === undefined && version !== undefined) {
      const index = untimed.findIndex(
        (write) =>
          write.value === (read.found ? read.value : null) && write.invokeMs <= read.completeMs,
      );
      if (index >= 0) {
        const write = untimed.splice(index, 1)[0]!;
        cluster = { name, version, write, reads: [] };
      } else if (initiallyEmpty) {
        phantoms.push(read);
        continue;
      } else {
        cluster = { name, version, reads: [] };
      }
      byTs.set(name, cluster);
    } else if (cluster === undefined) {
      cluster = { name, reads: [] };
      byTs.set(name, cluster);
    }
    cluster.reads.push(read);
  }
  // A write nobody read only counts when it surely happened (acknowledged).
  const clusters = [...byTs.values()].filter(
    (cluster) => cluster.reads.length > 0 || cluster.write?.ok === true,
  );
  return { clusters, phantoms };
}

/** When an operation took effect at the latest: its answer, or never for a write without one. */
export function endOf(op: Operation | undefined): number {
  if (op === undefined) return -Infinity;
  return op.ok ? op.completeMs : Infinity;
}

export function startOf(op: Operation | undefined): number {
  return op === undefined ? -Infinity : op.invokeMs;
}

export function membersOf(cluster: Cluster): (Operation | undefined)[] {
  return [cluster.write, ...cluster.reads];
}
