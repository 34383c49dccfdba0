import { join, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ClusterOptions } from '../launcher/cluster.js';
import { defaultConfigPath } from '../terminal/paths.js';
import { createStyle } from '../terminal/style.js';

/** The options that say which cluster and how its nodes run, as every command takes them. */
export interface ClusterCliOptions {
  config?: string;
  delayUnit?: 'ms' | 's';
  dir?: string;
  dataDir?: string;
  inMemory?: boolean;
  fresh?: boolean;
  seed?: number;
  logs?: boolean;
  /** The cluster secret's file: what nodes prove to each other, and attached commands to nodes. */
  secretFile?: string;
  /** `--trace FILE` (up, run): write the run's trace. */
  trace?: string;
}

export type ClusterOptionName = Exclude<keyof ClusterCliOptions, 'trace'>;

export const clusterOptionsHeading = 'Cluster options:';
/** Where commands put `--json`, `--width` and the other options about what they print. */
export const outputOptionsHeading = 'Output options:';
export const defaultWorkDir = '.quartet';

const everyClusterOption: readonly ClusterOptionName[] = [
  'config',
  'delayUnit',
  'dir',
  'dataDir',
  'inMemory',
  'fresh',
  'seed',
  'logs',
  'secretFile',
];

/** Options that start or shape node processes; nodes someone else started ignore them. */
const startingOptions: readonly ClusterOptionName[] = [
  'dir',
  'dataDir',
  'inMemory',
  'fresh',
  'seed',
  'logs',
];

// One definition per option: every command lists it with the same flags, words and default.
const definitions: Record<ClusterOptionName, () => Option> = {
  config: () =>
    new Option(
      '-c, --config <file>',
      'cluster config (.json or the original config.py; default configs/default.json)',
    ),
  delayUnit: () =>
    new Option(
      '--delay-unit <unit>',
      'unit of bare delay numbers in the config (config.py: s)',
    ).choices(['ms', 's']),
  dir: () =>
    new Option(
      '--dir <dir>',
      `working directory: logs/, data/ and a node\u2019s secret (default ${defaultWorkDir})`,
    ),
  dataDir: () =>
    new Option(
      '--data-dir <dir>',
      'where the nodes keep their data, a node-N folder each (default DIR/data; run: DIR/run-data)',
    ).conflicts('inMemory'),
  inMemory: () =>
    new Option('--in-memory', 'keep data in memory only: fast, and lost when a node stops'),
  fresh: () =>
    new Option('--fresh', 'delete the nodes\u2019 data first and start empty (run: always)'),
  seed: () => new Option('--seed <n>', 'seed the sampled network delays').argParser(parseInteger),
  logs: () => new Option('--logs', 'the nodes\u2019 logs on stderr, with a prefix per node'),
  secretFile: () =>
    new Option(
      '--secret-file <file>',
      'the cluster secret (default: QUARTET_SECRET, else DIR/secret; `quartet node` creates it)',
    ),
};

/** One cluster option on its own, for a command that takes only it (`sim --delay-unit`). */
export function createClusterOption(name: ClusterOptionName): Option {
  return definitions[name]();
}

/**
 * Adds the cluster options to `command` under one heading, in one order. With `attach`, the
 * options that shape node processes are refused beside `--attach`.
 */
export function addClusterOptions(
  command: Command,
  settings: { only?: readonly ClusterOptionName[]; attach?: boolean } = {},
): Command {
  const names = settings.only ?? everyClusterOption;
  for (const name of everyClusterOption) {
    if (!names.includes(name)) continue;
    const option = definitions[name]().helpGroup(clusterOptionsHeading);
    if (settings.attach === true && startingOptions.includes(name)) option.conflicts('attach');
    command.addOption(option);
  }
  return command;
}

export function parseInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) {
    throw new InvalidArgumentError('Expected a non-negative integer.');
  }
  return parsed;
}

/** A TCP port, 0 for a free one. */
export function parsePort(value: string): number {
  const parsed = parseInteger(value);
  if (parsed > 65_535) throw new InvalidArgumentError('Expected a port, 0 to 65535.');
  return parsed;
}

const prefixColors = ['cyan', 'magenta', 'yellow', 'blue', 'green', 'red'] as const;

/** The config path the cluster options name: `--config`, or the original four-node topology. */
export function resolveConfigPath(options: ClusterCliOptions): string {
  return resolve(options.config ?? defaultConfigPath);
}

/** The working directory the cluster options name. */
export function resolveWorkDir(options: ClusterCliOptions): string {
  return resolve(options.dir ?? defaultWorkDir);
}

/**
 * The part of a `Cluster`'s options the cluster options decide. `defaults.dataDir` replaces
 * DIR/data; `defaults.fresh` forces a fresh start.
 */
export function toClusterSettings(
  options: ClusterCliOptions,
  defaults: { dataDir?: string; fresh?: boolean } = {},
): Pick<
  ClusterOptions,
  | 'dir'
  | 'delayUnit'
  | 'seed'
  | 'dataDir'
  | 'inMemory'
  | 'fresh'
  | 'onLogLine'
  | 'traced'
  | 'tracePath'
> {
  const dir = resolveWorkDir(options);
  const style = createStyle(process.stderr);
  return {
    dir,
    ...(options.delayUnit === undefined ? {} : { delayUnit: options.delayUnit }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    dataDir: resolve(options.dataDir ?? defaults.dataDir ?? join(dir, 'data')),
    inMemory: options.inMemory === true,
    fresh: defaults.fresh === true || options.fresh === true,
    // The prompt's `trace` reads the nodes' events: up and run always trace.
    traced: true,
    ...(options.trace === undefined ? {} : { tracePath: resolve(options.trace) }),
    ...(options.logs === true
      ? {
          onLogLine: (id: number, line: string) => {
            const color = prefixColors[(id - 1) % prefixColors.length]!;
            process.stderr.write(`${style[color](`n${id} \u2502`)} ${line}\n`);
          },
        }
      : {}),
  };
}
