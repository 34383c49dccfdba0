import { compareTimestamps } from '../core/clock.js';
import type { LevelName } from '../core/levels.js';
import { CheckContext } from './context.js';
import { describeOperation } from './describe.js';
import { findDivergences, judgeFinalRead } from './final-state.js';
import { judgeRecovery, zombieWarning } from './recovery-judgement.js';
import type { HistoryRecord } from './history.js';
import { judgeLinearizability } from './key-judgement.js';
import { pairName, quorumsOverlap } from './levels.js';
import { parseOperations, type Operation } from './operations.js';
import { findOverwrittenWrites } from './overwritten.js';
import type { CheckReport, Finding, KeyRow, ReadRow, WriteRow } from './report.js';
import { observeReads } from './stale-reads.js';

const findingsMax = 40;

/** Checks a history (simulated or from a real cluster) against the promises of its levels. */
export function checkHistory(records: readonly HistoryRecord[]): CheckReport {
  const history = parseOperations(records);
  const context = new CheckContext(history.meta, history.faults);
  const rf = history.meta.replicationFactor;
  const reads = new Map<string, ReadRow>();
  const writes = new Map<LevelName, WriteRow>();
  const keyRows = new Map<string, KeyRow>();
  const findings: Finding[] = [];
  let keysWithoutFinalRead = 0;
  const finalReadKeys = new Set<string>();

  for (const [key, ops] of history.byKey) {
    for (const observation of observeReads(ops, context)) {
      const { read, writeLevel, stale } = observation;
      const row = rowFor(reads, pairName(writeLevel, read.level), () => ({
        replicationFactor: rf,
        write: writeLevel,
        read: read.level,
        promised: writeLevel !== '-' && quorumsOverlap(writeLevel, read.level, rf),
        reads: 0,
        stale: 0,
        staleDataLoss: 0,
        broken: 0,
      }));
      row.reads++;
      if (stale === undefined) continue;
      row.stale++;
      if (stale.dataLoss) row.staleDataLoss++;
      const broken = row.promised && !stale.dataLoss;
      if (broken) row.broken++;
      findings.push({
        kind: 'stale-read',
        key,
        operations: [stale.missed.id, read.id],
        message: `${describeOperation(read)} missed ${describeOperation(stale.missed)}, which completed before it began.`,
        broken,
        ...(broken
          ? {}
          : {
              excuse: stale.dataLoss
                ? 'data lost in a crash'
                : `W+R ≤ RF (${row.write}/${row.read})`,
            }),
      });
    }

    for (const op of ops) {
      if (!op.isWrite) continue;
      const row = writeRow(writes, op.level);
      if (op.ok) row.acknowledged++;
      else row.indefinite++;
    }
    const judgement = judgeFinalRead(ops, context);
    if (judgement.finalRead === undefined) {
      if (ops.some((op) => op.isWrite && op.ok)) keysWithoutFinalRead++;
    } else {
      finalReadKeys.add(key);
    }
    for (const lost of judgement.lost) {
      const row = writeRow(writes, lost.write.level);
      if (lost.resurrected) row.resurrected++;
      else row.lost++;
      // A replica down past the tombstone grace may bring a deleted value back: expected, and
      // warned by the node when it restarted (Cassandra's zombie), never silent.
      const zombie =
        lost.resurrected && !lost.dataLoss ? zombieWarning(key, context, history) : undefined;
      if (lost.dataLoss || zombie !== undefined) row.dataLoss++;
      else row.broken++;
      findings.push({
        kind: lost.resurrected ? 'resurrected-delete' : 'lost-write',
        key,
        operations: [lost.write.id, lost.finalRead.id],
        message: `The final read ${describeOperation(lost.finalRead)} does not show the acknowledged ${describeOperation(lost.write)}.`,
        broken: !lost.dataLoss && zombie === undefined,
        ...(lost.dataLoss
          ? { excuse: 'every acknowledging replica lost its data in a crash' }
          : zombie !== undefined
            ? { excuse: `a replica was down longer than the tombstone grace; it warned: ${zombie}` }
            : {}),
      });
    }

    for (const { write, newer } of findOverwrittenWrites(ops)) {
      writeRow(writes, write.level).overwritten++;
      findings.push({
        kind: 'overwritten',
        key,
        operations: [newer.id, write.id],
        message: `${describeOperation(write)} was acknowledged but stamped older than ${describeOperation(newer)}, which completed before it began: last write wins dropped it (${clockGap(newer, write)}).`,
        broken: false,
        excuse: 'timestamp order (last write wins), not a promise of the levels',
      });
    }

    judgeLinearizability(key, ops, context, keyRows, findings);
  }

  const divergences = findDivergences(history.dumps, finalReadKeys, context);
  const convergencePromised = history.meta.readRepair !== 'off';
  for (const divergence of divergences) {
    findings.push({
      kind: 'not-converged',
      key: divergence.key,
      operations: [],
      message: `After the final read and its repairs the replicas differ: ${divergence.versions.map((v) => `n${v.node}=${v.version}`).join(', ')}.`,
      broken: convergencePromised,
      ...(convergencePromised ? {} : { excuse: 'read repair is off' }),
    });
  }

  const unrecovered = judgeRecovery(history, context, findings);

  const clockFaults = history.faults.filter((fault) => fault.fault === 'clock');
  findings.sort((a, b) => Number(b.broken) - Number(a.broken));
  const broken = findings.filter((finding) => finding.broken).length;
  return {
    meta: history.meta,
    operations: history.operations.length,
    keys: history.byKey.size,
    keysWithoutFinalRead,
    reads: sortRows([...reads.values()], (row) => `${row.write}/${row.read}`),
    writes: sortRows([...writes.values()], (row) => row.level),
    linearizability: sortRows([...keyRows.values()], (row) => row.levels),
    convergence: {
      keys: finalReadKeys.size,
      diverged: divergences.length,
      promised: convergencePromised,
      judged: history.dumps.length > 0,
    },
    recovery: {
      keys: history.repairedDumps.length > 0 ? history.byKey.size : 0,
      diverged: unrecovered.length,
      judged: history.repairedDumps.length > 0,
    },
    clocks: {
      skewed: clockFaults.some((fault) => (fault.skewMs ?? 0) !== 0),
      coarse: clockFaults.some((fault) => (fault.resolutionMs ?? 1) > 1),
    },
    findings: findings.slice(0, findingsMax),
    findingsOmitted: Math.max(0, findings.length - findingsMax),
    broken,
    ok: broken === 0,
  };
}

// Why the later write got the older timestamp: a tie within one clock tick, or a clock behind.
function clockGap(newer: Operation, write: Operation): string {
  const gapMs = (newer.ts?.wallMs ?? 0) - (write.ts?.wallMs ?? 0);
  if (
    newer.ts !== undefined &&
    write.ts !== undefined &&
    compareTimestamps(newer.ts, write.ts) === 0
  )
    return 'the very same timestamp, reissued by a clock that started over after a restart; the value decided';
  if (gapMs === 0) return 'same wall-clock tick: the counter and node id decided';
  return `its coordinator's clock read ${gapMs} ms behind`;
}

function rowFor<T>(rows: Map<string, T>, name: string, create: () => T): T {
  let row = rows.get(name);
  if (row === undefined) rows.set(name, (row = create()));
  return row;
}

function writeRow(rows: Map<LevelName, WriteRow>, level: LevelName): WriteRow {
  return rowFor(rows as Map<string, WriteRow>, level, () => ({
    level,
    acknowledged: 0,
    indefinite: 0,
    lost: 0,
    resurrected: 0,
    dataLoss: 0,
    overwritten: 0,
    broken: 0,
  }));
}

function sortRows<T>(rows: T[], name: (row: T) => string): T[] {
  return rows.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
}
