import { buildClusters, endOf, membersOf, startOf, type Cluster } from './clusters.js';
import type { CheckContext } from './context.js';
import { compareVersions } from '../core/version.js';
import { describeOperation } from './describe.js';
import type { Operation } from './operations.js';
import { findZoneConflicts, type Zone, type ZoneConflict } from './zones.js';

export type ViolationCause =
  /** A write was stamped older than something that completed before it began (LWW + clocks). */
  | 'timestamp-order'
  /** A read returned a version older than a write acknowledged before the read began. */
  | 'stale-read'
  /** A read returned a version older than one an earlier, completed read returned. */
  | 'non-monotonic-read'
  /** A read returned a write that began only after the read completed. */
  | 'future-read'
  /** A read returned a version that no write in the history produced. */
  | 'phantom-read';

export interface LinearizabilityViolation {
  key: string;
  cause: ViolationCause;
  /** The operations that show it, the first of the pair first. */
  operations: Operation[];
  message: string;
  /** When the violation became visible (the later operation's start). */
  atMs: number;
  /** A crash of one of the key's replicas falls in its window (data loss or a failed repair). */
  duringCrash: boolean;
}

const conflictsPerKeyMax = 20;

/** Checks one key's history for linearizability (a last-write-wins register) and says why not. */
export function checkLinearizable(
  key: string,
  operations: readonly Operation[],
  context: CheckContext,
): LinearizabilityViolation[] {
  const { clusters, phantoms } = buildClusters(operations, context.meta.initiallyEmpty);
  const violations: LinearizabilityViolation[] = [];
  for (const read of phantoms) {
    violations.push({
      key,
      cause: 'phantom-read',
      operations: [read],
      message: `${describeOperation(read)} returned a version no write in the history produced.`,
      atMs: read.invokeMs,
      duringCrash: false,
    });
  }
  for (const cluster of clusters) {
    const write = cluster.write;
    if (write === undefined || cluster.rewritten === true) continue;
    for (const read of cluster.reads) {
      if (read.completeMs >= write.invokeMs) continue;
      violations.push({
        key,
        cause: 'future-read',
        operations: [write, read],
        message: `${describeOperation(read)} returned the value of ${describeOperation(write)}, which began only after the read completed.`,
        atMs: write.invokeMs,
        duringCrash: false,
      });
      cluster.reads = cluster.reads.filter((r) => r !== read);
    }
  }
  const unique = clusters.filter((cluster) => cluster.rewritten !== true);
  for (const conflict of findZoneConflicts(unique, conflictsPerKeyMax)) {
    violations.push(explainConflict(key, conflict, context));
  }
  return violations.sort((a, b) => a.atMs - b.atMs);
}

function compareClusters(a: Cluster, b: Cluster): number {
  if (a.version === undefined) return b.version === undefined ? 0 : -1;
  if (b.version === undefined) return 1;
  return compareVersions(a.version, b.version);
}

const causeRank: ViolationCause[] = ['timestamp-order', 'stale-read', 'non-monotonic-read'];

// Finds the real-time order that the timestamp order contradicts, and names its cause.
function explainConflict(
  key: string,
  conflict: ZoneConflict,
  context: CheckContext,
): LinearizabilityViolation {
  const [a, b] = [conflict.first.cluster, conflict.second.cluster];
  const [newer, older] = compareClusters(a, b) > 0 ? [a, b] : [b, a];
  let best: { x: Operation; y: Operation; cause: ViolationCause } | undefined;
  for (const x of newer.reads.concat(newer.write === undefined ? [] : [newer.write])) {
    for (const y of membersOf(older)) {
      if (y === undefined || !(endOf(x) < startOf(y))) continue;
      const cause: ViolationCause = y.isWrite
        ? 'timestamp-order'
        : x.isWrite
          ? 'stale-read'
          : 'non-monotonic-read';
      if (best === undefined || causeRank.indexOf(cause) < causeRank.indexOf(best.cause))
        best = { x, y, cause };
    }
  }
  const shown = zoneOperations(conflict);
  if (best === undefined) {
    // Only reachable when the newer cluster's write is older than the history (no operation).
    return {
      key,
      cause: 'non-monotonic-read',
      operations: shown,
      message: describeZones(conflict),
      atMs: Math.max(...shown.map((op) => op.invokeMs)),
      duringCrash: context.hasCrashes,
    };
  }
  const { x, y, cause } = best;
  const lossyOnly = cause === 'stale-read';
  return {
    key,
    cause,
    operations: [x, y],
    message: `${describeOperation(x)} completed before ${describeOperation(y)} began, yet carries the newer timestamp. ${describeZones(conflict)}`,
    atMs: y.invokeMs,
    duringCrash: context.crashedBetween(key, undefined, x.invokeMs, y.completeMs, lossyOnly),
  };
}

function zoneOperations(conflict: ZoneConflict): Operation[] {
  const ops = new Set<Operation>();
  for (const zone of [conflict.first, conflict.second]) {
    const { earliest, latest } = ends(zone.cluster);
    if (earliest !== undefined) ops.add(earliest);
    if (latest !== undefined) ops.add(latest);
  }
  return [...ops];
}

function ends(cluster: Cluster): { earliest?: Operation; latest?: Operation } {
  let earliest: Operation | undefined;
  let latest: Operation | undefined;
  for (const op of membersOf(cluster)) {
    if (op === undefined) continue;
    if (earliest === undefined || endOf(op) < endOf(earliest)) earliest = op;
    if (latest === undefined || op.invokeMs > latest.invokeMs) latest = op;
  }
  const found: { earliest?: Operation; latest?: Operation } = {};
  if (earliest !== undefined) found.earliest = earliest;
  if (latest !== undefined) found.latest = latest;
  return found;
}

function valueOf(zone: Zone): string {
  const write = zone.cluster.write;
  if (write !== undefined)
    return write.value === null ? `the delete #${write.id}` : `${write.value} (#${write.id})`;
  return zone.cluster.version === undefined ? 'the initial state' : 'an earlier version';
}

function describeZones(conflict: ZoneConflict): string {
  const first = valueOf(conflict.first);
  const second = valueOf(conflict.second);
  return conflict.kind === 'overlap'
    ? `No order of the writes explains the reads: ${first} and ${second} each had to be current before the other.`
    : `The write of ${second} falls, with all its reads, between two operations that saw ${first}.`;
}
