import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { ReadRepairMode } from '../config/types.js';
import { QuartetError } from '../core/errors.js';
import { isLevelName, type LevelName } from '../core/levels.js';
import type { ScenarioOverrides } from './random-scenario.js';

/** `quartet sim` options as commander hands them over. */
export interface SimCommandOptions {
  seed?: number;
  seeds?: number;
  /** Worker threads for `--seeds` (default: one per core). */
  workers?: number;
  /** Lay tables out for this many columns (default: the terminal's; piped: full width). */
  width?: number;
  from?: number;
  config?: string;
  delayUnit?: 'ms' | 's';
  writeLevel?: string;
  readLevel?: string;
  readRepair?: ReadRepairMode;
  storage?: 'memory' | 'durable';
  faults?: boolean;
  clients?: number;
  ops?: number;
  keys?: number;
  history?: string;
  /** Write the seed's trace (docs/trace.md) to this file. */
  trace?: string;
  /** Write the seed's report (one HTML file, docs/trace.md) to this file. */
  report?: string;
  json?: boolean;
  pbs?: boolean;
  trials?: number;
  tMax?: number;
  tStep?: number;
  levels?: string;
}

export const simBounds = {
  seedsMax: 10_000_000,
  workersMax: 64,
  clientsMax: 64,
  opsMax: 10_000,
  keysMax: 10_000,
};

/** Turns the options into scenario overrides (loading the config file when one is named). */
export async function overridesFrom(options: SimCommandOptions): Promise<ScenarioOverrides> {
  const overrides: ScenarioOverrides = {};
  if (options.config !== undefined) {
    const path = resolve(options.config);
    overrides.config = await loadConfig(
      path,
      options.delayUnit === undefined ? {} : { delayUnit: options.delayUnit },
    );
    overrides.configPath = options.config;
    if (options.delayUnit !== undefined) overrides.delayUnit = options.delayUnit;
  }
  if (options.writeLevel !== undefined)
    overrides.writeLevels = parseLevels(options.writeLevel, '--write-level');
  if (options.readLevel !== undefined)
    overrides.readLevels = parseLevels(options.readLevel, '--read-level');
  if (options.readRepair !== undefined) overrides.readRepair = options.readRepair;
  if (options.storage !== undefined) overrides.durable = options.storage === 'durable';
  if (options.faults === false) overrides.faults = false;
  if (options.clients !== undefined)
    overrides.clients = bounded(options.clients, '--clients', 1, simBounds.clientsMax);
  if (options.ops !== undefined)
    overrides.opsPerClient = bounded(options.ops, '--ops', 1, simBounds.opsMax);
  if (options.keys !== undefined)
    overrides.keys = bounded(options.keys, '--keys', 1, simBounds.keysMax);
  return overrides;
}

export function parseLevels(text: string, option: string): LevelName[] {
  const levels = text.split(',').map((part) => part.trim());
  for (const level of levels) {
    if (!isLevelName(level))
      throw new QuartetError(
        'USAGE',
        `Expected \`${option}\` to list levels (one, two, three, quorum, all) separated by commas, got "${text}".`,
      );
  }
  return levels as LevelName[];
}

export function bounded(value: number, option: string, min: number, max: number): number {
  if (value < min || value > max)
    throw new QuartetError(
      'USAGE',
      `Expected \`${option}\` to be between ${min} and ${max}, got ${value}.`,
    );
  return value;
}
