import type { ScenarioOverrides } from './random-scenario.js';

/** The command line that runs one seed again with the same overrides. */
export function replayCommand(seed: number, overrides: ScenarioOverrides = {}): string {
  const parts = ['npx quartet sim', `--seed ${seed}`];
  if (overrides.configPath !== undefined) parts.push(`--config ${quote(overrides.configPath)}`);
  if (overrides.delayUnit !== undefined) parts.push(`--delay-unit ${overrides.delayUnit}`);
  if (overrides.writeLevels !== undefined)
    parts.push(`--write-level ${overrides.writeLevels.join(',')}`);
  if (overrides.readLevels !== undefined)
    parts.push(`--read-level ${overrides.readLevels.join(',')}`);
  if (overrides.readRepair !== undefined) parts.push(`--read-repair ${overrides.readRepair}`);
  if (overrides.durable !== undefined)
    parts.push(`--storage ${overrides.durable ? 'durable' : 'memory'}`);
  if (overrides.faults === false) parts.push('--no-faults');
  if (overrides.clients !== undefined) parts.push(`--clients ${overrides.clients}`);
  if (overrides.opsPerClient !== undefined) parts.push(`--ops ${overrides.opsPerClient}`);
  if (overrides.keys !== undefined) parts.push(`--keys ${overrides.keys}`);
  return parts.join(' ');
}

function quote(text: string): string {
  return /^[\w./:-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
