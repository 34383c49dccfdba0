import type { BenchClient } from './driver.js';
import type { Random } from '../core/random.js';
import { drive, type DriveProgress, type DriveResult } from './driver.js';
import { summarizeLatency } from './latency.js';
import { describeLevels, type BenchOptions } from './options.js';
import type { BenchStep } from './progress.js';
import {
  createLoadSource,
  createWorkloadSource,
  workloadDescriptions,
  type Levels,
} from './workload.js';

export interface StepContext {
  options: BenchOptions;
  clients: BenchClient[];
  nextValue: () => string;
  random: Random;
}

/** What the run phases did: the measured drives, and every operation including warm-ups. */
export interface RunTally {
  runs: { levels: Levels; drive: DriveResult }[];
  opsWithWarmup: number;
}

/** Inserts every record, then calls `onLoaded` (to sample the nodes before the run). */
export function createLoadStep(
  context: StepContext,
  onLoaded: (load: DriveResult) => Promise<void>,
): BenchStep {
  const { options } = context;
  return {
    title: `Load ${count(options.records)} records of ${options.valueBytes} B at \`${options.loadLevel}\``,
    run: async (progress) => {
      const source = createLoadSource(options.records, options.loadLevel);
      const load = await drive(driveInput(context, source), progress);
      await onLoaded(load);
      return `Loaded ${count(load.ops)} records in ${(load.durationMs / 1000).toFixed(1)} s (${rate(load)} ops/s)${failures(load)}`;
    },
  };
}

/** One run phase: an unmeasured warm-up, then the measured duration or operation count. */
export function createPhaseStep(context: StepContext, levels: Levels, tally: RunTally): BenchStep {
  const { options, random } = context;
  const source = () =>
    createWorkloadSource({
      ...options,
      levels,
      random,
      ...(options.opsMax === undefined ? {} : { opsMax: options.opsMax }),
    });
  return {
    title: `Workload ${options.workload} (${workloadDescriptions[options.workload]}) at ${describeLevels(levels)}, ${options.inflight} in flight`,
    run: async (progress: DriveProgress) => {
      if (options.warmupMs > 0) {
        const untilMs = performance.now() + options.warmupMs;
        const warmup = await drive({ ...driveInput(context, source()), untilMs });
        tally.opsWithWarmup += warmup.ops + errorCount(warmup);
      }
      const untilMs =
        options.opsMax === undefined ? performance.now() + options.durationMs : Infinity;
      const result = await drive({ ...driveInput(context, source()), untilMs }, progress);
      tally.opsWithWarmup += result.ops + errorCount(result);
      tally.runs.push({ levels, drive: result });
      const { p50, p99 } = summarizeLatency(result.book.merged());
      return `Workload ${options.workload} at ${describeLevels(levels)}: ${rate(result)} ops/s, p50 ${p50} ms, p99 ${p99} ms${failures(result)}`;
    },
  };
}

function driveInput(context: StepContext, source: ReturnType<typeof createLoadSource>) {
  const { clients, options, nextValue } = context;
  return { clients, inflight: options.inflight, nextValue, source };
}

export function errorCount(result: DriveResult): number {
  return Object.values(result.errors).reduce((total, errors) => total + errors, 0);
}

function failures(result: DriveResult): string {
  const errors = errorCount(result);
  return errors > 0 ? `, ${count(errors)} failed` : '';
}

function rate(result: DriveResult): string {
  return count(result.durationMs > 0 ? Math.round((result.ops / result.durationMs) * 1000) : 0);
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
