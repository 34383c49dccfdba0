import { parseDurationMs } from '../config/durations.js';
import { QuartetError } from '../core/errors.js';
import { isLevelName, levelNames, type LevelName } from '../core/levels.js';
import { inflightPerConnectionMax } from '../protocol/limits.js';
import type { KeyDistribution } from './key-generators.js';
import { workloadNames, type Levels, type WorkloadName } from './workload.js';

/** `quartet bench` options as commander hands them over. */
export interface BenchCliOptions {
  workload?: string;
  level?: string;
  readLevel?: string;
  writeLevel?: string;
  loadLevel?: string;
  inflight?: number;
  clients?: number;
  duration?: string;
  warmup?: string;
  ops?: number;
  records?: number;
  valueSize?: number;
  keys?: string;
  config?: string;
  delayUnit?: 'ms' | 's';
  servers?: number;
  rf?: number;
  out?: string;
  seed?: number;
  durable?: boolean;
  /** Nodes trace to the orchestrator (IPC), kept in its ring: the cost of tracing. */
  trace?: boolean;
  http?: boolean;
  quiet?: boolean;
  /** `--vs redis|etcd`: run the peer comparison (src/bench/peers) instead. */
  vs?: string;
  /** Rounds of quartet-then-peer with `--vs`. */
  rounds?: number;
}

export interface BenchOptions {
  workload: WorkloadName;
  /** One run phase per entry, in order. */
  phases: Levels[];
  loadLevel: LevelName;
  inflight: number;
  /** Connections; undefined: one per node, at most one per request in flight. */
  clients: number | undefined;
  durationMs: number;
  warmupMs: number;
  /** Operations per phase instead of a duration. */
  opsMax: number | undefined;
  records: number;
  valueBytes: number;
  keys: KeyDistribution;
  configPath: string | undefined;
  delayUnit: 'ms' | 's' | undefined;
  servers: number | undefined;
  replicationFactor: number | undefined;
  out: string | undefined;
  seed: number;
  /** The nodes' durable store instead of memory. */
  durable: boolean;
  /** The nodes trace (to the orchestrator's ring, as `quartet up` does). */
  trace: boolean;
  /** Drive the nodes through their HTTP API instead of the MessagePack protocol. */
  http: boolean;
  quiet: boolean;
}

export const benchDefaults = {
  workload: 'A',
  level: 'one',
  inflight: 64,
  duration: '10s',
  warmup: '1s',
  records: 10_000,
  valueBytes: 100,
  keys: 'zipfian',
  servers: 4,
} as const;

export const benchBounds = { serversMax: 64, recordsMax: 100_000_000, valueBytesMax: 1_048_576 };

/** Checks the command line and fills in the defaults; a wrong option is a USAGE error. */
export function resolveBenchOptions(cli: BenchCliOptions): BenchOptions {
  const workload = (cli.workload ?? benchDefaults.workload).toUpperCase();
  if (!(workloadNames as readonly string[]).includes(workload)) {
    throw usage(
      `Expected \`--workload\` to be one of ${workloadNames.join(', ')}, got "${cli.workload}".`,
    );
  }
  const levels = (cli.level ?? benchDefaults.level)
    .split(',')
    .map((text) => parseLevel(text, '--level'));
  const readLevel =
    cli.readLevel === undefined ? undefined : parseLevel(cli.readLevel, '--read-level');
  const writeLevel =
    cli.writeLevel === undefined ? undefined : parseLevel(cli.writeLevel, '--write-level');
  const phases = dedupe(
    levels.map((level) => ({ read: readLevel ?? level, write: writeLevel ?? level })),
  );
  const inflight = cli.inflight ?? benchDefaults.inflight;
  checkRange('--inflight', inflight, 1, inflightPerConnectionMax);
  if (cli.clients !== undefined) checkRange('--clients', cli.clients, 1, inflight);
  const records = cli.records ?? benchDefaults.records;
  checkRange('--records', records, 1, benchBounds.recordsMax);
  const valueBytes = cli.valueSize ?? benchDefaults.valueBytes;
  checkRange('--value-size', valueBytes, 0, benchBounds.valueBytesMax);
  if (cli.ops !== undefined) checkRange('--ops', cli.ops, 1, Number.MAX_SAFE_INTEGER);
  if (cli.servers !== undefined) checkRange('--servers', cli.servers, 1, benchBounds.serversMax);
  if (cli.config !== undefined && cli.servers !== undefined) {
    throw usage('Give either `--config FILE` or `--servers N`, not both.');
  }
  const keys = cli.keys ?? benchDefaults.keys;
  if (keys !== 'uniform' && keys !== 'zipfian') {
    throw usage(`Expected \`--keys\` to be uniform or zipfian, got "${keys}".`);
  }
  if (cli.rounds !== undefined && cli.vs === undefined) {
    throw usage('`--rounds` counts the rounds of `--vs redis|etcd`; give `--vs` too.');
  }
  const warmupDefault = cli.ops === undefined ? benchDefaults.warmup : '0';
  return {
    workload: workload as WorkloadName,
    phases,
    loadLevel:
      cli.loadLevel === undefined ? phases[0]!.write : parseLevel(cli.loadLevel, '--load-level'),
    inflight,
    clients: cli.clients,
    durationMs: parseSeconds(cli.duration ?? benchDefaults.duration, '--duration'),
    warmupMs: parseSeconds(cli.warmup ?? warmupDefault, '--warmup'),
    opsMax: cli.ops,
    records,
    valueBytes,
    keys,
    configPath: cli.config,
    delayUnit: cli.delayUnit,
    servers: cli.servers,
    replicationFactor: cli.rf,
    out: cli.out,
    seed: cli.seed ?? Date.now() % 1_000_000_007,
    durable: cli.durable === true,
    trace: cli.trace === true,
    http: cli.http === true,
    quiet: cli.quiet === true,
  };
}

/** "read one / write all", or "one" when both levels are the same. */
export function describeLevels(levels: Levels): string {
  return levels.read === levels.write ? levels.read : `read ${levels.read} / write ${levels.write}`;
}

function parseLevel(text: string, option: string): LevelName {
  const level = text.trim().toLowerCase();
  if (!isLevelName(level)) {
    throw usage(
      `Expected \`${option}\` to be ${levelNames.join(', ')} (or a comma list for --level), got "${text}".`,
    );
  }
  return level;
}

// Durations on the command line: "10s", "500ms", "2m"; a bare number is seconds.
function parseSeconds(text: string, option: string): number {
  try {
    return parseDurationMs(text, 's', `\`${option}\``);
  } catch (error) {
    throw usage((error as Error).message);
  }
}

function checkRange(option: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw usage(`Expected \`${option}\` to be a whole number from ${min} to ${max}, got ${value}.`);
  }
}

function dedupe(phases: Levels[]): Levels[] {
  const seen = new Set<string>();
  return phases.filter((phase) => {
    const name = describeLevels(phase);
    if (seen.has(name)) return false;
    seen.add(name);
    return true;
  });
}

function usage(message: string): QuartetError {
  return new QuartetError('USAGE', message);
}
