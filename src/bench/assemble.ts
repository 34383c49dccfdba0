import type { LevelName } from '../core/levels.js';
import { createSeededRandom } from '../core/random.js';
import type { BenchCluster } from './bench-cluster.js';
import type { DriveResult } from './driver.js';
import { hasDelays, modelLatencyMs } from './fidelity.js';
import { summarizeHeadline, toPhaseFigures } from './figures.js';
import { createKeyGenerator } from './key-generators.js';
import type { LatencyMs } from './latency.js';
import { describeLevels, type BenchOptions } from './options.js';
import { describeMachine, type BenchResult, type CpuFigures, type NodeFigures } from './result.js';
import type { ProcessSample } from './resources.js';
import type { RunTally } from './steps.js';
import { keyOf } from './workload.js';

export interface AssembleInput {
  options: BenchOptions;
  startedAt: Date;
  bench: BenchCluster;
  clientCount: number;
  load: DriveResult;
  tally: RunTally;
  nodes: NodeFigures[];
  runWallMs: number;
  clientCpuMs: number;
}

/** Every figure of a bench run in one JSON-ready record, the headline ones at the top. */
export function assembleResult(input: AssembleInput): BenchResult {
  const { options, bench, tally, nodes, runWallMs, clientCpuMs } = input;
  const modelFor = hasDelays(bench.config) ? createModel(options, bench.config) : undefined;
  return {
    kind: 'quartet-bench',
    version: 1,
    ...summarizeHeadline(tally.runs.map((run) => run.drive)),
    cpu: describeCpu(nodes, clientCpuMs, tally.opsWithWarmup),
    startedAt: input.startedAt.toISOString(),
    machine: describeMachine(),
    settings: {
      workload: options.workload,
      keys: options.keys,
      records: options.records,
      valueBytes: options.valueBytes,
      inflight: options.inflight,
      clients: input.clientCount,
      durationMs: options.durationMs,
      warmupMs: options.warmupMs,
      opsMax: options.opsMax ?? null,
      loadLevel: options.loadLevel,
      seed: options.seed,
      store: options.durable ? 'durable' : 'memory',
      configPath: options.configPath ?? null,
    },
    config: bench.config,
    startupMs: bench.startupMs,
    load: toPhaseFigures('load', { read: options.loadLevel, write: options.loadLevel }, input.load),
    phases: tally.runs.map(({ levels, drive }) =>
      toPhaseFigures(describeLevels(levels), levels, drive, modelFor),
    ),
    nodes,
    client: {
      runCpuMs: clientCpuMs,
      runCpuPercent: runWallMs > 0 ? Math.round((clientCpuMs / runWallMs) * 100) : 0,
    },
  };
}

// CPU time per operation does not depend on what else the machine runs, unlike ops/s.
function describeCpu(nodes: NodeFigures[], clientCpuMs: number, ops: number): CpuFigures {
  const nodesCpuMs = nodes.reduce((total, node) => total + (node.runCpuMs ?? 0), 0);
  const perOpUs = (cpuMs: number) => (ops > 0 ? Math.round((cpuMs * 1000 * 10) / ops) / 10 : 0);
  const totalUs = perOpUs(nodesCpuMs + clientCpuMs);
  const cores = describeMachine().cpus;
  const callsPerOp = (pick: (sample: ProcessSample) => number | undefined) => {
    let calls = 0;
    for (const node of nodes) {
      const before = node.loaded === undefined ? undefined : pick(node.loaded);
      const after = node.finished === undefined ? undefined : pick(node.finished);
      if (before === undefined || after === undefined) return undefined;
      calls += after - before;
    }
    return ops > 0 ? Math.round((calls / ops) * 100) / 100 : undefined;
  };
  return {
    runOps: ops,
    nodeReadCallsPerOp: callsPerOp((sample) => sample.readCalls),
    nodeWriteCallsPerOp: callsPerOp((sample) => sample.writeCalls),
    nodesUsPerOp: perOpUs(nodesCpuMs),
    clientUsPerOp: perOpUs(clientCpuMs),
    totalUsPerOp: totalUs,
    ceilingOpsPerSec: totalUs > 0 ? Math.round((cores * 1_000_000) / totalUs) : 0,
  };
}

// The model's latency at a level, over the workload's keys and the coordinators measured.
function createModel(
  options: BenchOptions,
  config: BenchCluster['config'],
): (level: LevelName, coordinatorWeights: Map<number, number>) => LatencyMs {
  return (level, coordinatorWeights) => {
    const random = createSeededRandom(options.seed + 1);
    const nextRecord = createKeyGenerator(options.keys, options.records, random);
    return modelLatencyMs({
      config,
      coordinatorWeights,
      nextKey: () => keyOf(nextRecord()),
      level,
      random,
    });
  };
}
