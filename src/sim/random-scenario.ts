import { parseConfig } from '../config/load.js';
import { withReadRepair } from '../config/request-timeout.js';
import type { ClusterConfig, DelayDistribution, ReadRepairMode } from '../config/types.js';
import { levelNames, requiredAnswers, type LevelName } from '../core/levels.js';
import { createSeededRandom, type Random } from '../core/random.js';
import { generateFaults } from './random-faults.js';
import { deriveSeed, type ClockSetting, type Scenario, type ScheduledFault } from './scenario.js';
import { defaultWorkload, type WorkloadOptions } from './workload.js';

/** What a user (or a test) fixes; everything else is drawn from the seed. */
export interface ScenarioOverrides {
  config?: ClusterConfig;
  /** Where `config` came from, for the replay command. */
  configPath?: string;
  /** How `configPath` was loaded, for the replay command. */
  delayUnit?: 'ms' | 's';
  writeLevels?: LevelName[];
  readLevels?: LevelName[];
  readRepair?: ReadRepairMode;
  durable?: boolean;
  /** false: no crashes, partitions, loss or clock skew. */
  faults?: boolean;
  /** The tombstone grace as a multiple of the largest delay (purges inside the run). */
  tombstoneGraceDelays?: number;
  /** Only these kinds of faults (and steps) are drawn. */
  faultKinds?: readonly FaultKindName[];
  clients?: number;
  opsPerClient?: number;
  keys?: number;
}

/** The scenario of one seed: cluster shape, delays, levels, workload, clocks and faults. */
export function randomScenario(seed: number, overrides: ScenarioOverrides = {}): Scenario {
  const random = createSeededRandom(deriveSeed(seed, 'scenario'));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const config = overrides.config ?? randomConfig(random, pick, overrides.tombstoneGraceDelays);
  const durable = overrides.durable ?? random() < 0.5;
  // A durable store's crash behaviour follows the durability setting (none loses its last 50 ms).
  const durability =
    overrides.config === undefined && durable
      ? pick(['sync', 'batch', 'none'] as const)
      : config.durability;
  // Another read repair mode changes a derived timeout (a blocking repair is a second round trip).
  const finalConfig = {
    ...withReadRepair(config, overrides.readRepair ?? config.readRepair),
    durability,
  };
  const delayMsMax = Math.max(1, ...config.servers.map((server) => server.delayMsMean));
  const levels = levelNames.filter((level) => fits(level, config.replicationFactor));
  const mixed = random() < 0.2;
  const drawLevels = () => (mixed ? [...new Set([pick(levels), pick(levels)])] : [pick(levels)]);
  const workload: WorkloadOptions = {
    ...defaultWorkload,
    clients: overrides.clients ?? 2 + Math.floor(random() * 4),
    opsPerClient: overrides.opsPerClient ?? 10 + Math.floor(random() * 21),
    keys: overrides.keys ?? 1 + Math.floor(random() * 4),
    writeLevels: overrides.writeLevels ?? drawLevels(),
    readLevels: overrides.readLevels ?? drawLevels(),
    thinkMsMax: pick([0, delayMsMax, 5 * delayMsMax]),
  };
  const faultsOn = overrides.faults !== false;
  const clocks = faultsOn ? randomClocks(random, pick, config, delayMsMax) : [];
  const operations = workload.clients * workload.opsPerClient;
  const drawn = faultsOn ? generateFaults(random, config, operations) : [];
  const allowed = overrides.faultKinds;
  const faults =
    allowed === undefined ? drawn : drawn.filter((fault) => allowed.includes(startOf(fault.kind)));
  return {
    seed,
    config: finalConfig,
    workload,
    durable,
    clocks,
    faults,
  };
}

export type FaultKindName = 'crash' | 'partition' | 'loss' | 'repair';

// The fault a scheduled step belongs to (a restart ends a crash, a heal a partition).
function startOf(kind: ScheduledFault['kind']): FaultKindName {
  if (kind === 'restart') return 'crash';
  if (kind === 'heal') return 'partition';
  return kind;
}

function fits(level: LevelName, replicationFactor: number): boolean {
  try {
    requiredAnswers(level, replicationFactor);
    return true;
  } catch {
    return false;
  }
}

/** The coarsest timestamps a scenario draws. */
const clockResolutionMsMax = 1000;

// Built through parseConfig, so every field the config gains gets its default.
function randomConfig(
  random: Random,
  pick: <T>(items: readonly T[]) => T,
  tombstoneGraceDelays: number | undefined,
): ClusterConfig {
  const nodes = pick([3, 4, 4, 4, 5]);
  const baseMs = pick([1, 5, 20, 100]);
  const delays: Record<string, number> = {};
  for (let id = 1; id <= nodes; id++) {
    delays[String(id)] = Math.round(baseMs * (random() < 0.2 ? 10 : 0.5 + random()) * 1000) / 1000;
  }
  const delayMsMax = Math.max(...Object.values(delays));
  const config = parseConfig({
    servers: Array.from({ length: nodes }, (_, i) => `127.0.0.1:${10_000 + i}`),
    delays,
    delayDistribution: pick<DelayDistribution>(['uniform', 'uniform', 'exponential', 'fixed']),
    fifo: random() < 0.7,
    replicationFactor: nodes === 5 && random() < 0.3 ? 5 : 3,
    readRepair: pick<ReadRepairMode>(['background', 'blocking', 'blocking', 'off']),
    requestTimeoutMs: Math.round(pick([4, 10]) * delayMsMax + 50),
    virtualNodes: 16,
    ...recoveryTimings(random, pick, delayMsMax),
  });
  const graceMs =
    tombstoneGraceDelays === undefined
      ? shortGraceMs(random, pick, delayMsMax)
      : Math.round(tombstoneGraceDelays * delayMsMax);
  if (graceMs === undefined) return config;
  return { ...config, tombstoneGraceMs: graceFloorMs(config) + graceMs };
}

/**
 * A tombstone grace shorter than the clocks' disagreement purges by skewed timestamps, and a
 * version stamped by a clock behind comes back (the simulator found it): deployments keep the
 * grace far above it. Twice the largest offset the scenario's clocks may have (skew, ticks).
 */
function graceFloorMs(config: ClusterConfig): number {
  return 2 * (config.maxClockOffsetMs + clockResolutionMsMax);
}

// A grace short enough that purges happen inside a run, in some runs.
function shortGraceMs(
  random: Random,
  pick: <T>(items: readonly T[]) => T,
  delayMsMax: number,
): number | undefined {
  return random() < 0.3 ? Math.round(pick([20, 100, 400]) * delayMsMax) : undefined;
}

// Recovery inside a run: a failure detector fast enough that partitions mark peers down, hints
// that expire, anti-entropy on a schedule (the tombstone grace: shortGraceMs).
function recoveryTimings(
  random: Random,
  pick: <T>(items: readonly T[]) => T,
  delayMsMax: number,
): Record<string, number> {
  const timings: Record<string, number> = {};
  const scaled = (factor: number) => Math.max(1, Math.round(factor * delayMsMax));
  if (random() < 0.5) timings.heartbeatIntervalMs = scaled(pick([1, 2, 4]));
  if (random() < 0.3) timings.maxHintWindowMs = scaled(pick([5, 20, 100]));
  if (random() < 0.3) timings.antiEntropyIntervalMs = scaled(pick([20, 100]));
  return timings;
}

function randomClocks(
  random: Random,
  pick: <T>(items: readonly T[]) => T,
  config: ClusterConfig,
  delayMsMax: number,
): ClockSetting[] {
  const skewed = random() < 0.3;
  const coarse = random() < 0.2;
  if (!skewed && !coarse) return [];
  const resolutionMs = coarse ? pick([10, 100, clockResolutionMsMax]) : 1;
  // Two clocks differ by up to 2·skewMsMax plus a tick: kept within maxClockOffsetMs, so that
  // random runs study skew, not the refusals past the bound.
  const skewMsBound = Math.max(0, Math.floor((config.maxClockOffsetMs - resolutionMs) / 2));
  const skewMsMax = Math.min(pick([1, 2 * delayMsMax, 500]), skewMsBound);
  return config.servers.map((server) => ({
    node: server.id,
    skewMs: skewed ? Math.round((random() * 2 - 1) * skewMsMax) : 0,
    resolutionMs,
  }));
}
