import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, platform, arch, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ClusterConfig } from '../config/types.js';
import type { LevelName } from '../core/levels.js';
import type { LatencyMs } from './latency.js';
import type { ProcessSample } from './resources.js';
import type { Levels, OpKind, WorkloadName } from './workload.js';
import type { KeyDistribution } from './key-generators.js';

/** One operation at one level in one phase, e.g. reads at `one`. */
export interface OperationFigures {
  op: OpKind;
  level: LevelName;
  ops: number;
  opsPerSec: number;
  latencyMs: LatencyMs;
  /** What the delay model alone predicts (only with delays configured). */
  modelMs?: LatencyMs;
  /** Measured minus model. */
  overheadMs?: { p50: number; mean: number };
}

export interface PhaseFigures {
  name: string;
  levels: Levels;
  ops: number;
  durationMs: number;
  opsPerSec: number;
  errors: Record<string, number>;
  latencyMs: LatencyMs;
  operations: OperationFigures[];
}

export interface NodeFigures {
  id: number;
  pid: number | undefined;
  keys: number | undefined;
  /** Right after startup, after the load phase, after the run phases. */
  started: ProcessSample | undefined;
  loaded: ProcessSample | undefined;
  finished: ProcessSample | undefined;
  /** CPU time spent during the run phases, and as a share of one core. */
  runCpuMs: number | undefined;
  runCpuPercent: number | undefined;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  arch: string;
  totalMemoryMb: number;
  loadAverage: number[];
}

export interface BenchSettings {
  workload: WorkloadName;
  keys: KeyDistribution;
  records: number;
  valueBytes: number;
  inflight: number;
  clients: number;
  durationMs: number;
  warmupMs: number;
  opsMax: number | null;
  loadLevel: LevelName;
  seed: number;
  store: 'memory' | 'durable';
  /** How the load generator spoke to the nodes: MessagePack frames, or the HTTP API's JSON. */
  transport: 'msgpack' | 'http';
  configPath: string | null;
}

/** CPU time the nodes and the load generator spent per operation in the run phases. */
export interface CpuFigures {
  /** Operations in the run phases, warm-ups included (the CPU samples include them). */
  runOps: number;
  nodesUsPerOp: number;
  clientUsPerOp: number;
  totalUsPerOp: number;
  /** System calls of all nodes per operation (Linux): few means frames are coalesced. */
  nodeReadCallsPerOp: number | undefined;
  nodeWriteCallsPerOp: number | undefined;
  /** The ops/s the machine's cores could give if they did nothing else: cores / totalUsPerOp. */
  ceilingOpsPerSec: number;
}

export interface BenchResult {
  kind: 'quartet-bench';
  version: 1;
  /** Headline: every measured operation of every run phase. */
  opsPerSec: number;
  latencyMs: LatencyMs;
  errors: number;
  cpu: CpuFigures;
  startedAt: string;
  machine: Machine;
  settings: BenchSettings;
  config: ClusterConfig;
  startupMs: number;
  load: PhaseFigures;
  phases: PhaseFigures[];
  nodes: NodeFigures[];
  /** The bench process itself (the load generator) shares the machine with the nodes. */
  client: { runCpuMs: number; runCpuPercent: number };
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: platform(),
    arch: arch(),
    totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

/** bench/results/<timestamp>-<workload>.json under the current directory, unless `--out`. */
export function resultPath(out: string | undefined, workload: string, startedAt: Date): string {
  if (out !== undefined) return resolve(out);
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-').replace(/Z$/, '');
  return resolve(join('bench', 'results', `${stamp}-${workload}.json`));
}

export async function writeResult(path: string, result: BenchResult): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
}
