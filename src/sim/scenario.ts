import type { ClusterConfig } from '../config/types.js';
import { configDefaults } from '../config/config-defaults.js';
import { hashString } from '../core/hash.js';
import type { WorkloadOptions } from './workload.js';

/** A fault strikes once the workload has issued `afterOps` operations, before the next one. */
export type ScheduledFault =
  | { afterOps: number; kind: 'crash'; node: number }
  | { afterOps: number; kind: 'restart'; node: number }
  | { afterOps: number; kind: 'partition'; groups: number[][] }
  | { afterOps: number; kind: 'heal' }
  | { afterOps: number; kind: 'loss'; from: number; to: number; lossRate: number }
  /** Not a fault: a scheduled `repair` (anti-entropy of the node with its peers). */
  | { afterOps: number; kind: 'repair'; node: number };

export interface ClockSetting {
  node: number;
  skewMs: number;
  resolutionMs: number;
}

/** Everything a run depends on: the same scenario gives the same history, byte for byte. */
export interface Scenario {
  seed: number;
  config: ClusterConfig;
  workload: WorkloadOptions;
  /** A crash keeps the node's data (durable storage) or loses it (in-memory, the default). */
  durable: boolean;
  clocks: ClockSetting[];
  faults: ScheduledFault[];
}

/** An independent random stream per concern, so that e.g. the workload does not shift delays. */
export function deriveSeed(seed: number, stream: string): number {
  return hashString(`${seed}/${stream}`);
}

export function faultKinds(scenario: Scenario): string[] {
  const kinds = new Set<string>(scenario.faults.map((fault) => fault.kind));
  kinds.delete('restart');
  kinds.delete('heal');
  const { config } = scenario;
  if (config.antiEntropyIntervalMs > 0) kinds.add('anti-entropy');
  if (config.tombstoneGraceMs < configDefaults.tombstoneGraceMs) kinds.add('short-grace');
  if (config.maxHintWindowMs < configDefaults.maxHintWindowMs) kinds.add('short-hint-window');
  if (config.heartbeatIntervalMs < configDefaults.heartbeatIntervalMs) kinds.add('fast-detector');
  if (scenario.clocks.some((clock) => clock.skewMs !== 0)) kinds.add('skew');
  if (scenario.clocks.some((clock) => clock.resolutionMs > 1)) kinds.add('coarse-clock');
  if (!scenario.config.fifo) kinds.add('reorder');
  return [...kinds].sort();
}
