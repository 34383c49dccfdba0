import type { LevelName } from '../core/levels.js';
import { createSeededRandom, type Random } from '../core/random.js';
import type { BenchCluster } from './bench-cluster.js';
import type { DriveResult } from './driver.js';
import { hasDelays, modelLatencyMs } from './fidelity.js';
import { modelFifoLatencyMs } from './fifo-model.js';
import { summarizeHeadline, toPhaseFigures, type ModelFor } from './figures.js';
import { createKeyGenerator } from './key-generators.js';
import type { LatencyMs } from './latency.js';
import { describeLevels, type BenchOptions } from './options.js';
import { describeMachine, type BenchResult, type CpuFigures, type NodeFigures } from './result.js';
import type { ProcessSample } from './resources.js';
import type { RunTally } from './steps.js';
import { keyOf, readShares } from './workload.js';

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
  const modelFor = hasDelays(bench.config)
    ? createModel(options, bench.config, input.clientCount)
    : undefined;
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
      transport: options.http ? 'http' : 'msgpack',
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
// Order statistics of the link delays; on FIFO links, a simulation of the closed loop that also
// counts the wait behind earlier messages on each link (src/bench/fifo-model.ts).
function createModel(
  options: BenchOptions,
  config: BenchCluster['config'],
  clientCount: number,
): ModelFor {
  const keysFrom = (random: Random) => {
    const nextRecord = createKeyGenerator(options.keys, options.records, random);
    return () => keyOf(nextRecord());
  };
  if (!config.fifo) {
    return (_levels, label, coordinatorWeights) => {
      const random = createSeededRandom(options.seed + 1);
      const level = label.split(' ')[1] as LevelName;
      return modelLatencyMs({
        config,
        coordinatorWeights,
        nextKey: keysFrom(random),
        level,
        random,
      });
    };
  }
  const ids = config.servers.map((server) => server.id);
  const slotCoordinators = Array.from(
    { length: Math.max(1, options.inflight) },
    (_, slot) => ids[(slot % clientCount) % ids.length]!,
  );
  const byPhase = new Map<string, Map<string, LatencyMs>>();
  return (levels, label) => {
    const phase = `${levels.read} ${levels.write}`;
    let figures = byPhase.get(phase);
    if (figures === undefined) {
      const random = createSeededRandom(options.seed + 1);
      figures = modelFifoLatencyMs({
        config,
        slotCoordinators,
        levels,
        readShare: readShares[options.workload],
        nextKey: keysFrom(random),
        random,
      });
      byPhase.set(phase, figures);
    }
    return figures.get(label) ?? { mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  };
}
