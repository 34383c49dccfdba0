import { access, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { describeRequestTimeout } from '../../config/request-timeout.js';
import type { ClusterConfig } from '../../config/types.js';
import { QuartetError, toErrorRecord } from '../../core/errors.js';
import { resolveOutputWidth } from '../../terminal/output-width.js';
import { resolveAttachSecret } from '../attach-secret.js';
import { AttachedCluster } from '../attached-cluster.js';
import { Cluster } from '../../launcher/cluster.js';
import {
  resolveConfigPath,
  resolveWorkDir,
  toClusterSettings,
  type ClusterCliOptions,
} from '../cluster-options.js';
import { startCluster } from '../../launcher/startup.js';
import type { BatchReporter } from './batch-reporter.js';
import { runFile } from './file-runner.js';
import { JsonOutput } from './json-output.js';
import { toJUnitXml } from './junit.js';
import { parseSources, readSources, type BatchSource } from './sources.js';
import { HistoryRecorder } from '../history-recorder.js';
import { withStopOnSignal } from '../../launcher/stop-on-signal.js';
import { TableOutput } from './table-output.js';
import { prepareRunReport } from './run-report.js';
import type { FileResult } from './types.js';

export interface RunOptions extends ClusterCliOptions {
  json?: boolean;
  junit?: string;
  attach?: boolean;
  /** Write the history of the run (operations and faults) for `quartet check`. */
  history?: string;
  /** Write the run's HTML report (its trace and the check findings of its history). */
  report?: string;
  /** Lay tables out for this many columns (default: the terminal's; piped: full width). */
  width?: number;
}

export interface RunIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** Exit statuses of `quartet run`. */
export const exitStatus = { passed: 0, failed: 1, notRun: 2 } as const;

/**
 * `quartet run FILE...`: parses every file, then runs each against a fresh cluster (or the
 * attached nodes), prints, writes JUnit, and returns the exit status: 0 all held, 1 an
 * assertion or command failed, 2 nothing was run (usage, config, syntax, startup).
 */
export async function runBatch(
  files: readonly string[],
  options: RunOptions,
  io: RunIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const fail = (error: unknown) => {
    const { code, message } = toErrorRecord(error);
    io.stderr.write(`error ${code}: ${message}\n`);
  };
  let prepared: Prepared;
  let width: number | undefined;
  try {
    width = resolveOutputWidth(io.stdout, options.width);
    prepared = await prepare(files, options, io);
  } catch (error) {
    fail(error);
    return exitStatus.notRun;
  }
  if (prepared.problems.length > 0) {
    io.stderr.write(`${prepared.problems.join('\n\n')}\n\n`);
    const count = prepared.problems.length;
    io.stderr.write(`${count} problem${count === 1 ? '' : 's'} found; nothing was run.\n`);
    return exitStatus.notRun;
  }
  const reporter: BatchReporter =
    options.json === true
      ? new JsonOutput(io.stdout, io.stderr)
      : new TableOutput(io.stdout, io.stderr, {
          ...(width === undefined ? {} : { width }),
          replicationFactor: prepared.config.replicationFactor,
        });
  const timeoutNotice = describeRequestTimeout(prepared.config);
  if (timeoutNotice !== undefined) reporter.notice(timeoutNotice);
  const results: FileResult[] = [];
  const run = options.attach === true ? runAttached : runStarted;
  let broken = false;
  try {
    await run(prepared, options, reporter, results);
  } catch (error) {
    fail(error);
    broken = true;
  }
  if (results.length > 0) reporter.runEnd(results);
  if (options.junit !== undefined && results.length > 0) {
    try {
      await writeFile(options.junit, toJUnitXml(results));
      reporter.notice(`JUnit report written to ${options.junit}`);
    } catch (error) {
      fail(error);
      broken = true;
    }
  }
  if (broken && results.length === 0) return exitStatus.notRun;
  const passed = results.length === prepared.sources.length && results.every((r) => r.summary.ok);
  return passed ? exitStatus.passed : exitStatus.failed;
}

interface Prepared {
  config: ClusterConfig;
  configPath: string;
  sources: BatchSource[];
  problems: string[];
}

async function prepare(
  files: readonly string[],
  options: RunOptions,
  io: RunIo,
): Promise<Prepared> {
  const configPath = resolveConfigPath(options);
  const config = await loadConfig(
    configPath,
    options.delayUnit === undefined ? {} : { delayUnit: options.delayUnit },
  );
  if (options.attach !== true) await resolveAttachSecret(options);
  if (options.junit !== undefined) await checkWritable(options.junit, 'the JUnit report');
  if (options.history !== undefined) {
    await checkWritable(options.history, 'the history');
    if (files.length !== 1) {
      throw new QuartetError(
        'USAGE',
        `--history records one batch file at a time (each runs on a fresh cluster); got ${files.length} files.`,
      );
    }
  }
  if (options.report !== undefined) {
    await checkWritable(options.report, 'the report');
    if (options.attach === true)
      throw new QuartetError(
        'USAGE',
        '--report needs nodes this run starts (their trace comes over their IPC channel); run without --attach.',
      );
    if (files.length !== 1)
      throw new QuartetError(
        'USAGE',
        `--report shows one batch file (each runs on a fresh cluster); got ${files.length} files.`,
      );
  }
  const texts = await readSources(files, io.stdin);
  const probe = new AttachedCluster(config);
  const { sources, problems } = parseSources(texts, { nodeIds: probe.nodeIds, ring: probe.ring });
  return { config, configPath, sources, problems };
}

async function checkWritable(path: string, what: string): Promise<void> {
  try {
    await access(dirname(resolve(path)));
  } catch {
    throw new QuartetError('USAGE', `Cannot write ${what} ${path}: its folder does not exist.`);
  }
}

// Repairs come within a request timeout of a read's last answer; twice that is the bound.
function repairWaitMs(config: ClusterConfig): number {
  return config.requestTimeoutMs * 2;
}

/** A fresh cluster per file: every file starts from empty stores, no faults, no delays changed. */
async function runStarted(
  prepared: Prepared,
  options: RunOptions,
  reporter: BatchReporter,
  results: FileResult[],
): Promise<void> {
  // Every file starts from empty stores, kept apart from `quartet up`'s data; a restart within
  // the file keeps what was written.
  const report =
    options.report === undefined ? undefined : await prepareRunReport(options, options.report);
  const paths = report?.paths ?? options;
  const settings = toClusterSettings(
    { ...options, ...paths },
    {
      dataDir: join(resolveWorkDir(options), 'run-data'),
      fresh: true,
    },
  );
  try {
    for (const source of prepared.sources) {
      const cluster = new Cluster({
        config: prepared.config,
        configPath: prepared.configPath,
        ...settings,
        onWarning: (id, message) => reporter.notice(`node ${id}: ${message}`),
        onNodeExit: (id) =>
          reporter.notice(`node ${id} exited on its own; see ${cluster.logFile(id)}`),
      });
      await withStopOnSignal(
        () => cluster.stop(),
        async () => {
          const startedMs = performance.now();
          await startCluster(cluster, { quiet: true });
          reporter.notice(
            `${source.file}: ${cluster.nodeIds.length} nodes up in ${Math.round(performance.now() - startedMs)} ms; logs in ${cluster.logDir}`,
          );
          const recorder =
            paths.history === undefined
              ? undefined
              : new HistoryRecorder(paths.history, {
                  config: prepared.config,
                  durable: options.inMemory !== true,
                  initiallyEmpty: true,
                  // The trace's time 0, so the findings' times read on the report's diagram.
                  ...(cluster.trace === undefined
                    ? {}
                    : { originMs: cluster.trace.originUs / 1000 - performance.timeOrigin }),
                });
          try {
            results.push(
              await runFile({
                cluster,
                source,
                reporter,
                repairWaitMs: repairWaitMs(prepared.config),
                ...(recorder === undefined
                  ? {}
                  : { onRecord: (record) => recorder.record(record) }),
              }),
            );
          } finally {
            await recorder?.close();
          }
        },
      );
      if (report !== undefined) reporter.notice(await report.write());
    }
  } finally {
    await report?.remove();
  }
}

/** The nodes someone else started: every file runs against the same nodes and their data. */
async function runAttached(
  prepared: Prepared,
  options: RunOptions,
  reporter: BatchReporter,
  results: FileResult[],
): Promise<void> {
  const secret = await resolveAttachSecret(options);
  const cluster = new AttachedCluster(prepared.config, undefined, secret);
  try {
    const missing = await cluster.findSilentNodes(prepared.configPath);
    if (missing.length > 0)
      reporter.notice(
        `--attach: nodes ${missing.join(', ')} do not answer; lines sent to them will fail.`,
      );
    for (const source of prepared.sources) {
      results.push(
        await runFile({ cluster, source, reporter, repairWaitMs: repairWaitMs(prepared.config) }),
      );
    }
  } finally {
    cluster.close();
  }
}
