import { loadConfig } from '../config/load.js';
import { describeRequestTimeout } from '../config/request-timeout.js';
import { checkWidthOption } from '../terminal/output-width.js';
import type { ClusterConfig } from '../config/types.js';
import { resolveAttachSecret } from './attach-secret.js';
import { AttachedCluster, type FaultRefusal } from './attached-cluster.js';
import { Cluster } from '../launcher/cluster.js';
import { resolveConfigPath, toClusterSettings, type ClusterCliOptions } from './cluster-options.js';
import { checkWebHost, type LivePageOptions } from './live-page.js';
import { createPromptIo, runPrompt, type PromptIo } from './prompt-run.js';
import { startCluster } from '../launcher/startup.js';
import { withStopOnSignal } from '../launcher/stop-on-signal.js';

export interface UpOptions extends ClusterCliOptions, LivePageOptions {
  json?: boolean;
  /** Write the history (operations and faults) for `quartet check`. */
  history?: string;
  /** Lay tables out for this many columns (default: the terminal's; piped: full width). */
  width?: number;
  /** Open the prompt against nodes already running (`quartet node`) instead of starting them. */
  attach?: boolean;
}

const upAttachRefusal: FaultRefusal = {
  starter: 'quartet up',
  advice: 'with --attach the nodes belong to someone else. Run `quartet up` without --attach.',
};

const greetingEnd = 'Type `help` for the commands, `quit` to stop.';

/** `quartet up`: starts the nodes (or attaches), runs the prompt or piped lines, stops them. */
export async function runUp(options: UpOptions): Promise<void> {
  const configPath = resolveConfigPath(options);
  const loadOptions = options.delayUnit === undefined ? {} : { delayUnit: options.delayUnit };
  if (options.width !== undefined) checkWidthOption(options.width);
  if (options.web === true) checkWebHost(options);
  if (options.attach !== true) await resolveAttachSecret(options);
  const config = await loadConfig(configPath, loadOptions);
  const io = createPromptIo(options, config);
  if (options.attach === true) await runAttached(config, configPath, options, io);
  else await runStarted(config, configPath, options, io);
}

async function runStarted(
  config: ClusterConfig,
  configPath: string,
  options: UpOptions,
  io: PromptIo,
): Promise<void> {
  const { reporter } = io;
  const cluster = new Cluster({
    config,
    configPath,
    ...toClusterSettings(options),
    onWarning: (id, message) => reporter.notice(`warning from node ${id}: ${message}`),
    onNodeExit: (id) => reporter.notice(`node ${id} exited on its own; see ${cluster.logFile(id)}`),
  });
  await withStopOnSignal(
    () => cluster.stop(),
    async () => {
      await startCluster(cluster, { quiet: false });
      const timeoutNotice = describeRequestTimeout(config);
      if (timeoutNotice !== undefined) reporter.notice(timeoutNotice);
      await runPrompt({
        ...io,
        cluster,
        configPath,
        greeting: `Node logs: ${cluster.logDir}/node-N.log. ${greetingEnd}`,
        ...(options.history === undefined ? {} : { history: options.history }),
        ...pickWebOptions(options),
        historyFacts: {
          durable: options.inMemory !== true,
          initiallyEmpty: options.fresh === true || options.inMemory === true,
        },
      });
    },
  );
}

async function runAttached(
  config: ClusterConfig,
  configPath: string,
  options: UpOptions,
  io: PromptIo,
): Promise<void> {
  const secret = await resolveAttachSecret(options);
  const cluster = new AttachedCluster(config, upAttachRefusal, secret, { traced: true });
  try {
    const silent = await cluster.findSilentNodes(configPath);
    if (silent.length > 0) {
      io.reporter.notice(
        `--attach: nodes ${silent.join(', ')} do not answer; lines sent to them will fail.`,
      );
    }
    for (const refusal of await cluster.startTracing()) io.reporter.notice(`--attach: ${refusal}`);
    await runPrompt({
      ...io,
      cluster,
      configPath,
      greeting: `Attached to the nodes of ${configPath}. Type \`help\` for the commands, \`quit\` to leave (the nodes go on).`,
      ...(options.history === undefined ? {} : { history: options.history }),
      ...pickWebOptions(options),
      historyFacts: { durable: true, initiallyEmpty: false },
    });
  } finally {
    cluster.close();
  }
}

function pickWebOptions(options: UpOptions): { web?: LivePageOptions } {
  if (options.web !== true) return {};
  const { web, webPort, webHost } = options;
  return {
    web: {
      web,
      ...(webPort === undefined ? {} : { webPort }),
      ...(webHost === undefined ? {} : { webHost }),
    },
  };
}
