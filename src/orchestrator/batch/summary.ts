import { levelNames } from '../../core/levels.js';
import type { OpRecord, RepairRecord } from '../records.js';
import type { FileSummary, LevelSummary, LineOutcome } from './types.js';

export interface SummaryInput {
  file: string;
  outcomes: readonly LineOutcome[];
  repairs: readonly RepairRecord[];
  messages: { sent: number; dropped: number };
  durationMs: number;
}

/** Totals per consistency level, assertions, and messages per operation, for one file. */
export function summarize(input: SummaryInput): FileSummary {
  const ops = input.outcomes
    .map((outcome) => outcome.record)
    .filter((record): record is OpRecord => record.type === 'op');
  const repairsBySeq = new Map<number, RepairRecord[]>();
  for (const repair of input.repairs) {
    repairsBySeq.set(repair.seq, [...(repairsBySeq.get(repair.seq) ?? []), repair]);
  }
  const levels = levelNames
    .map((level) =>
      summarizeLevel(
        level,
        ops.filter((op) => op.level === level),
        repairsBySeq,
      ),
    )
    .filter((summary) => summary.operations > 0);
  const total = summarizeLevel('all levels', ops, repairsBySeq);
  const results = input.outcomes.flatMap((outcome) => outcome.assertions);
  const passed = results.filter((result) => result.ok).length;
  const failed = results.length - passed;
  const unexpectedErrors = input.outcomes.filter((o) => o.unexpectedError !== undefined).length;
  return {
    type: 'summary',
    file: input.file,
    ok: failed === 0 && unexpectedErrors === 0,
    durationMs: Math.round(input.durationMs),
    levels,
    total,
    messagesSent: input.messages.sent,
    messagesDropped: input.messages.dropped,
    messagesPerOp: ops.length === 0 ? null : round(input.messages.sent / ops.length),
    assertions: { passed, failed },
    unexpectedErrors,
  };
}

function summarizeLevel(
  level: string,
  ops: readonly OpRecord[],
  repairsBySeq: ReadonlyMap<number, readonly RepairRecord[]>,
): LevelSummary {
  const reads = ops.filter((op) => op.op === 'get');
  const repairs = reads.flatMap((read) => repairsBySeq.get(read.seq) ?? []);
  // Latency of the operations that succeeded: a failure's latency is its timeout.
  const latencies = ops
    .filter((op) => op.ok)
    .map((op) => op.latencyMs)
    .sort((a, b) => a - b);
  return {
    level,
    operations: ops.length,
    succeeded: ops.filter((op) => op.ok).length,
    failed: ops.filter((op) => !op.ok).length,
    staleReads: reads.filter(
      (read) =>
        read.replicas.some((r) => r.state === 'stale' || r.state === 'missing') ||
        (repairsBySeq.get(read.seq)?.length ?? 0) > 0,
    ).length,
    repairsSent: repairs.length,
    repairsApplied: repairs.filter((repair) => repair.applied).length,
    latencyMsP50: percentile(latencies, 0.5),
    latencyMsP99: percentile(latencies, 0.99),
  };
}

/** Nearest-rank percentile of sorted values; null when there are none. */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1] ?? null;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
