import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { describeRequestTimeout } from '../config/request-timeout.js';
import { checkWidthOption, resolveOutputWidth } from '../terminal/output-width.js';
import { Cluster } from './cluster.js';
import { helpText } from './grammar.js';
import { HistoryRecorder } from './history-recorder.js';
import { defaultConfigPath } from './paths.js';
import { runRepl } from './repl.js';
import { startCluster } from './startup.js';
import { withStopOnSignal } from './stop-on-signal.js';
import { JsonReporter } from './report/json-reporter.js';
import type { Reporter } from './report/reporter.js';
import { createStyle } from './report/style.js';
import { PromptOutput } from './report/prompt-output.js';
import { TableReporter } from './report/table-reporter.js';
import { Session } from './session.js';

export interface UpOptions {
  config?: string;
  delayUnit?: 'ms' | 's';
  json?: boolean;
  logs?: boolean;
  dir?: string;
  seed?: number;
  dataDir?: string;
  inMemory?: boolean;
  fresh?: boolean;
  /** Write the history (operations and faults) for `quartet check`. */
  history?: string;
  /** Lay tables out for this many columns (default: the terminal's; piped: full width). */
  width?: number;
}

const prefixColors = ['cyan', 'magenta', 'yellow', 'blue', 'green', 'red'] as const;

/** `quartet up`: starts the nodes, runs the prompt (or piped lines), stops every node. */
export async function runUp(options: UpOptions): Promise<void> {
  const configPath = resolve(options.config ?? defaultConfigPath);
  const loadOptions = options.delayUnit === undefined ? {} : { delayUnit: options.delayUnit };
  if (options.width !== undefined) checkWidthOption(options.width);
  const config = await loadConfig(configPath, loadOptions);
  const output = new PromptOutput(process.stdout);
  const reporter: Reporter =
    options.json === true
      ? new JsonReporter(output)
      : new TableReporter(output, {
          width: () => resolveOutputWidth(process.stdout, options.width),
          replicationFactor: config.replicationFactor,
        });
  const errStyle = createStyle(process.stderr);
  const cluster = new Cluster({
    config,
    configPath,
    dir: resolve(options.dir ?? '.quartet'),
    ...(options.delayUnit === undefined ? {} : { delayUnit: options.delayUnit }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.logs === true
      ? {
          onLogLine: (id: number, line: string) => {
            const color = prefixColors[(id - 1) % prefixColors.length]!;
            process.stderr.write(`${errStyle[color](`n${id} │`)} ${line}\n`);
          },
        }
      : {}),
    ...(options.dataDir === undefined ? {} : { dataDir: resolve(options.dataDir) }),
    inMemory: options.inMemory === true,
    fresh: options.fresh === true,
    onWarning: (id, message) => reporter.notice(`warning from node ${id}: ${message}`),
    onNodeExit: (id) => reporter.notice(`node ${id} exited on its own; see ${cluster.logFile(id)}`),
  });

  let closeHistory: (() => Promise<void> | undefined) | undefined;
  await withStopOnSignal(
    async () => {
      await closeHistory?.();
      await cluster.stop();
    },
    async () => {
      await startCluster(cluster, { quiet: false });
      const timeoutNotice = describeRequestTimeout(config);
      if (timeoutNotice !== undefined) reporter.notice(timeoutNotice);
      reporter.notice(
        `Node logs: ${cluster.logDir}/node-N.log. Type \`help\` for the commands, \`quit\` to stop.`,
      );
      const recorder =
        options.history === undefined
          ? undefined
          : new HistoryRecorder(resolve(options.history), {
              config,
              durable: options.inMemory !== true,
              initiallyEmpty: options.fresh === true || options.inMemory === true,
            });
      closeHistory = () => recorder?.close();
      const session = new Session({
        cluster,
        emit: (record) => {
          reporter.record(record);
          recorder?.record(record);
        },
        helpText,
      });
      await runRepl({
        session,
        reporter,
        input: process.stdin,
        output,
        settle: async () => void (await session.settleRepairs(config.requestTimeoutMs * 2)),
      });
    },
  );
}
