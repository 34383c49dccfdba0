import type { RunningNode } from '../node/main.js';
import { AttachedCluster, type FaultRefusal } from './attached-cluster.js';
import { createPromptIo, runPrompt } from './prompt-run.js';

export interface NodePromptOptions {
  json?: boolean;
  history?: string;
  /** The config file the node runs, for the header of `save`. */
  configPath: string;
  /** A person at the node's terminal: the end of the prompt stops the node. */
  interactive: boolean;
}

const nodePromptRefusal: FaultRefusal = {
  starter: 'quartet up',
  advice:
    'this prompt belongs to one node started with `quartet node`, and the other nodes are not its processes. Use `quartet up` for faults.',
};

/**
 * `quartet node`'s prompt, as in the original's four terminals: the lines are coordinated by this
 * node, `@N` and `use N` reach the other nodes of the config as a client. On a terminal, `quit`
 * and end of input stop the node; on piped input (`--prompt`) they end the prompt and the node
 * goes on serving until a signal.
 */
export async function runNodePrompt(node: RunningNode, options: NodePromptOptions): Promise<void> {
  const io = createPromptIo(options, node.config);
  const cluster = new AttachedCluster(node.config, nodePromptRefusal, node.secret);
  const { nodeId } = node;
  const log = node.logFile === undefined ? 'its log on stderr' : `its log: ${node.logFile}`;
  const ending = options.interactive
    ? `\`quit\` stops node ${nodeId}`
    : `end of input closes the prompt, and node ${nodeId} goes on serving`;
  try {
    await runPrompt({
      ...io,
      cluster,
      firstNode: nodeId,
      configPath: options.configPath,
      greeting: `Node ${nodeId} listening on ${node.address}; ${log}. Type \`help\` for the commands; ${ending}.`,
      ...(options.history === undefined ? {} : { history: options.history }),
      historyFacts: { durable: true, initiallyEmpty: false },
    });
  } finally {
    cluster.close();
  }
  if (options.interactive) {
    await node.stop('its prompt ended');
    return;
  }
  io.reporter.notice(
    `The prompt is closed; node ${nodeId} goes on serving until Ctrl-C or SIGTERM.`,
  );
}
