import { QuartetError } from '../../core/errors.js';
import { measureBench } from '../measure.js';
import { resolveBenchOptions, type BenchCliOptions } from '../options.js';
import type { BenchResult } from '../result.js';
import type { SideFigures } from './peer-result.js';

/** What quartet's side of a comparison runs: a workload at a level, this many in flight. */
export interface QuartetSide {
  workload: 'A' | 'W';
  level: 'one' | 'all';
  inflight: number;
  /** The nodes' LMDB store (durability batch, the config default) instead of memory. */
  durable: boolean;
}

/**
 * One quartet run through the bench's own measure path: a fresh cluster on free ports, the load
 * phase, one measured phase, every node stopped after.
 */
export async function measureQuartetSide(
  cli: BenchCliOptions,
  side: QuartetSide,
): Promise<{ figures: SideFigures; result: BenchResult }> {
  const options = resolveBenchOptions({
    ...cli,
    workload: side.workload,
    level: side.level,
    readLevel: undefined,
    writeLevel: undefined,
    inflight: side.inflight,
    durable: side.durable,
    http: false,
  });
  const result = await measureBench(options);
  if (result.opsPerSec === 0) {
    throw new QuartetError(
      'NODE_UNREACHABLE',
      `quartet answered no operation (errors: ${result.errors}).`,
    );
  }
  return {
    figures: {
      opsPerSec: result.opsPerSec,
      p50Ms: result.latencyMs.p50,
      p99Ms: result.latencyMs.p99,
      cpuUsPerOp: result.cpu.totalUsPerOp,
    },
    result,
  };
}
