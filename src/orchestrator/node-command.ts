import { join } from 'node:path';
import { QuartetError } from '../core/errors.js';
import { resolveConfigPath, resolveWorkDir, type ClusterCliOptions } from './cluster-options.js';
import { runNodePrompt } from './node-prompt.js';
import { onStopSignal } from '../launcher/stop-on-signal.js';

export interface NodeCommandOptions extends ClusterCliOptions {
  id?: number;
  port?: number;
  secretFile?: string;
  /** true: `--prompt` (also on piped input); false: `--no-prompt`; undefined: on a terminal. */
  prompt?: boolean;
  json?: boolean;
  history?: string;
}

/**
 * `quartet node`: one node in the foreground; with a terminal on stdin (or `--prompt`) the
 * prompt of `quartet up` too. Its log goes to DIR/logs/node-N.log while the prompt has the
 * terminal, unless `--logs`. A node forked by an orchestrator never has a prompt.
 */
export async function runNodeCommand(options: NodeCommandOptions): Promise<void> {
  const interactive = process.stdin.isTTY === true;
  const forked = process.send !== undefined;
  const prompt = !forked && (options.prompt ?? interactive);
  if (!prompt && (options.history !== undefined || options.json === true)) {
    throw new QuartetError(
      'USAGE',
      '`--history` and `--json` are about the prompt, and this node has none: run it on a terminal or add `--prompt`.',
    );
  }
  const dir = resolveWorkDir(options);
  const { runNode } = await import('../node/main.js');
  const node = await runNode(
    {
      config: resolveConfigPath(options),
      dir,
      ...pick(options, ['id', 'port', 'delayUnit', 'seed', 'secretFile', 'dataDir']),
      inMemory: options.inMemory === true,
      fresh: options.fresh === true,
      ...(prompt && options.logs !== true ? { logDir: join(dir, 'logs') } : {}),
    },
    { onStopSignal: (stop) => void onStopSignal(stop) },
  );
  if (!prompt) return;
  await runNodePrompt(node, {
    interactive,
    configPath: resolveConfigPath(options),
    ...(options.json === undefined ? {} : { json: options.json }),
    ...(options.history === undefined ? {} : { history: options.history }),
  });
}

// The options that are set, for `exactOptionalPropertyTypes`.
function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) picked[key] = value[key];
  return picked;
}
