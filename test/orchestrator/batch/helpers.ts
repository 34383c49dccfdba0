import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import type { Ring } from '../../../src/core/ring.js';
import type { BatchReporter } from '../../../src/orchestrator/batch/batch-reporter.js';
import { runFile } from '../../../src/orchestrator/batch/file-runner.js';
import { parseSources } from '../../../src/orchestrator/batch/sources.js';
import type { FileResult, LineOutcome } from '../../../src/orchestrator/batch/types.js';
import { Cluster } from '../../../src/launcher/cluster.js';
import type { ClusterHandle } from '../../../src/launcher/cluster-handle.js';
import type { RepairRecord } from '../../../src/orchestrator/records.js';
import { startCluster } from '../../../src/launcher/startup.js';
import { findFreePorts } from '../../helpers/cluster.js';

/** A config on free ports in a temp dir; `remove()` deletes the dir. */
export async function writeBatchConfig(
  fields: Record<string, unknown> = {},
): Promise<{ dir: string; configPath: string; ports: number[]; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-batch-'));
  const ports = await findFreePorts(4);
  const config = {
    servers: ports.map((port) => `127.0.0.1:${port}`),
    delays: {},
    delayDistribution: 'fixed',
    requestTimeoutMs: 1500,
    keyBytesMax: 16,
    ...fields,
  };
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  return { dir, configPath, ports, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface SharedCluster {
  cluster: Cluster;
  configPath: string;
  dir: string;
  stop: () => Promise<void>;
}

/**
 * One cluster for the serial tests of a file (`test.before`); `stop()` belongs in
 * `test.after.always`, so the nodes go away when a test fails too.
 */
export async function startSharedCluster(
  fields: Record<string, unknown> = {},
): Promise<SharedCluster> {
  const { dir, configPath, remove } = await writeBatchConfig(fields);
  const config = await loadConfig(configPath);
  const cluster = new Cluster({ config, configPath, dir });
  const stop = async () => {
    await cluster.stop();
    await remove();
  };
  try {
    await startCluster(cluster, { quiet: true });
  } catch (error) {
    await stop();
    throw error;
  }
  return { cluster, configPath, dir, stop };
}

/** Collects what a batch run shows, in order. */
export class MemoryReporter implements BatchReporter {
  readonly events: string[] = [];
  readonly lines: LineOutcome[] = [];
  readonly repairs: RepairRecord[] = [];
  readonly results: FileResult[] = [];

  fileStart(file: string): void {
    this.events.push(`start ${file}`);
  }

  line(outcome: LineOutcome): void {
    this.events.push(`line ${outcome.parsed.line}`);
    this.lines.push(outcome);
  }

  repair(record: RepairRecord): void {
    this.events.push(`repair ${record.line ?? '?'} n${record.replica}`);
    this.repairs.push(record);
  }

  fileEnd(result: FileResult): void {
    this.events.push(`end ${result.file}`);
    this.results.push(result);
  }

  runEnd(): void {}

  notice(): void {}

  /** The outcome of the line with this number. */
  at(line: number): LineOutcome {
    const outcome = this.lines.find((o) => o.parsed.line === line);
    if (outcome === undefined) throw new Error(`no outcome for line ${line}`);
    return outcome;
  }
}

/** Parses `text` as a batch file (failing on any problem) and runs it on the cluster. */
export async function runText(
  cluster: ClusterHandle,
  text: string,
  file = 'test.kv',
): Promise<{ result: FileResult; reporter: MemoryReporter }> {
  const { sources, problems } = parseSources([{ file, text }], cluster);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const reporter = new MemoryReporter();
  const result = await runFile({
    cluster,
    source: sources[0]!,
    reporter,
    repairWaitMs: cluster.config.requestTimeoutMs * 2,
  });
  return { result, reporter };
}

/** A key whose replica set satisfies `wanted`, e.g. holds node 2 and not node 4. */
export function keyWhere(
  ring: Ring,
  prefix: string,
  wanted: (replicas: readonly number[]) => boolean,
): string {
  for (let i = 0; i < 10_000; i++) {
    const key = `${prefix}${i}`;
    if (wanted(ring.replicasFor(key))) return key;
  }
  throw new Error(`no key with prefix ${prefix} has the replicas wanted`);
}

/** `file:text` pairs written into a temp dir, for the command line. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string[]> {
  return Promise.all(
    Object.entries(files).map(async ([name, text]) => {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    }),
  );
}

/** Lines of a batch file: a template's indentation and surrounding blank lines removed. */
export function kv(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce(
    (out, part, i) => out + part + (i < values.length ? String(values[i]) : ''),
    '',
  );
  return text
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .trim()
    .concat('\n');
}
