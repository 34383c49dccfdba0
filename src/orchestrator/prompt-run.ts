import { resolve } from 'node:path';
import type { ClusterConfig } from '../config/types.js';
import { resolveOutputWidth } from '../terminal/output-width.js';
import type { ClusterHandle } from '../launcher/cluster-handle.js';
import { helpText } from './grammar.js';
import { HistoryRecorder, type HistoryRecorderOptions } from './history-recorder.js';
import { LineRunner } from './line-runner.js';
import { startLivePage, type LivePageOptions } from './live-page.js';
import type { OutputRecord } from './records.js';
import { JsonReporter } from './report/json-reporter.js';
import { PromptOutput } from './report/prompt-output.js';
import type { Reporter } from './report/reporter.js';
import { TableReporter } from './report/table-reporter.js';
import { runRepl } from './repl.js';
import { Session } from './session.js';
import { withStopOnSignal } from '../launcher/stop-on-signal.js';

export interface PromptIo {
  output: PromptOutput;
  reporter: Reporter;
}

/** Standard output for a prompt, and its reporter: tables, or a JSON line per record. */
export function createPromptIo(
  options: { json?: boolean; width?: number },
  config: Pick<ClusterConfig, 'replicationFactor'>,
): PromptIo {
  const output = new PromptOutput(process.stdout);
  const reporter =
    options.json === true
      ? new JsonReporter(output)
      : new TableReporter(output, {
          // Read again before each record: a terminal may be resized between two.
          width: () => resolveOutputWidth(process.stdout, options.width),
          replicationFactor: config.replicationFactor,
        });
  return { output, reporter };
}

export interface PromptRunOptions extends PromptIo {
  cluster: ClusterHandle;
  /** Printed before the first line is read. */
  greeting: string;
  /** The node lines go to until `use N`; default the first of the config. */
  firstNode?: number;
  /** `--history FILE`, and what the recorder must know about the nodes' data. */
  history?: string;
  historyFacts: Omit<HistoryRecorderOptions, 'config'>;
  /** The config file, for what `save` writes. */
  configPath?: string;
  /** `--web`: the live page, driven by this prompt's session. */
  web?: LivePageOptions;
}

/**
 * The prompt of `quartet up`, `up --attach` and `quartet node`: one grammar, one session, the
 * same reporters, on standard input. Resolves when the prompt ends (`quit`, end of input).
 */
export async function runPrompt(options: PromptRunOptions): Promise<void> {
  const { cluster, reporter, output } = options;
  const recorder =
    options.history === undefined
      ? undefined
      : new HistoryRecorder(resolve(options.history), {
          config: cluster.config,
          ...options.historyFacts,
        });
  await withStopOnSignal(
    async () => void (await recorder?.close()),
    async () => {
      // Every record goes to the terminal, the history, and the live page's streams.
      const listeners = new Set<(record: OutputRecord) => void>();
      const show = (record: OutputRecord) => {
        reporter.record(record);
        for (const listener of listeners) listener(record);
      };
      const session = new Session({
        cluster,
        emit: (record) => {
          show(record);
          recorder?.record(record);
        },
        helpText,
        ...(options.firstNode === undefined ? {} : { firstNode: options.firstNode }),
        ...(options.configPath === undefined ? {} : { configPath: options.configPath }),
      });
      const lines = new LineRunner(session, show);
      const page =
        options.web?.web === true
          ? await startLivePage(options.web, {
              cluster,
              lines,
              reporter,
              subscribe: (listener) => {
                listeners.add(listener);
                return () => void listeners.delete(listener);
              },
            })
          : undefined;
      reporter.notice(options.greeting);
      try {
        await runRepl({
          session,
          lines,
          reporter,
          input: process.stdin,
          output,
          settle: async () =>
            void (await session.settleRepairs(cluster.config.requestTimeoutMs * 2)),
        });
      } finally {
        await page?.close();
      }
    },
  );
}
