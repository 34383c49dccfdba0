import type { LevelName } from '../core/levels.js';
import type { DriveResult } from './driver.js';
import { createLatencyHistogram, summarizeLatency, type LatencyMs } from './latency.js';
import type { OperationFigures, PhaseFigures } from './result.js';
import type { Levels, OpKind } from './workload.js';

/**
 * The delay model's latency for one operation label ("read one") of a phase run at `levels`;
 * `coordinatorWeights` counts the requests each node coordinated for it.
 */
export type ModelFor = (
  levels: Levels,
  label: string,
  coordinatorWeights: Map<number, number>,
) => LatencyMs;

/** Ops/s and latency of one phase, per operation and level; the model beside them if given. */
export function toPhaseFigures(
  name: string,
  levels: Levels,
  drive: DriveResult,
  modelFor?: ModelFor,
): PhaseFigures {
  const seconds = drive.durationMs / 1000;
  const perSecond = (ops: number) => (seconds > 0 ? Math.round(ops / seconds) : 0);
  const operations = drive.book.entries().map(([label, histogram]): OperationFigures => {
    const [op, level] = label.split(' ') as [OpKind, LevelName];
    const latencyMs = summarizeLatency(histogram);
    const figures: OperationFigures = {
      op,
      level,
      ops: histogram.totalCount,
      opsPerSec: perSecond(histogram.totalCount),
      latencyMs,
    };
    if (modelFor !== undefined) {
      const modelMs = modelFor(levels, label, drive.coordinatorOps.get(label) ?? new Map());
      figures.modelMs = modelMs;
      figures.overheadMs = {
        p50: round3(latencyMs.p50 - modelMs.p50),
        mean: round3(latencyMs.mean - modelMs.mean),
      };
    }
    return figures;
  });
  operations.sort((a, b) => a.op.localeCompare(b.op));
  return {
    name,
    levels,
    ops: drive.ops,
    durationMs: Math.round(drive.durationMs),
    opsPerSec: perSecond(drive.ops),
    errors: drive.errors,
    latencyMs: summarizeLatency(drive.book.merged()),
    operations,
  };
}

/** The headline over every run phase: all operations over all the time they took. */
export function summarizeHeadline(drives: DriveResult[]): {
  opsPerSec: number;
  latencyMs: LatencyMs;
  errors: number;
} {
  const all = createLatencyHistogram();
  let ops = 0;
  let durationMs = 0;
  let errors = 0;
  for (const drive of drives) {
    all.add(drive.book.merged());
    ops += drive.ops;
    durationMs += drive.durationMs;
    for (const count of Object.values(drive.errors)) errors += count;
  }
  return {
    opsPerSec: durationMs > 0 ? Math.round(ops / (durationMs / 1000)) : 0,
    latencyMs: summarizeLatency(all),
    errors,
  };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
