import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { describeRequestTimeout } from '../config/request-timeout.js';
import type { ClusterConfig } from '../config/types.js';
import { QuartetError, toErrorRecord } from '../core/errors.js';
import { createSeededRandom } from '../core/random.js';
import { applyControl, type NodeReport } from './control.js';
import { createLogger } from './logger.js';
import { QuartetNode } from './node.js';
import { openStorage } from './storage/open-storage.js';

export interface RunNodeOptions {
  config: string;
  id?: number;
  port?: number;
  delayUnit?: 'ms' | 's';
  seed?: number;
  secret?: string;
  dataDir?: string;
  inMemory?: boolean;
  fresh?: boolean;
  /** The HTTP API's port; wins over the server's `httpPort` in the config. */
  httpPort?: number;
  /** The address to bind instead of the config's host (peers still dial the config's). */
  listen?: string;
}

/** How often a node records that it is alive (to tell, after a crash, how long it was down). */
const aliveEveryMs = 1000;

/** `quartet node`: one node in the foreground until SIGINT/SIGTERM or its orchestrator goes away. */
export async function runNode(options: RunNodeOptions): Promise<void> {
  const logger = createLogger('info');
  const config = await loadConfig(
    options.config,
    options.delayUnit ? { delayUnit: options.delayUnit } : {},
  );
  const nodeId = resolveNodeId(config, options);
  const timeoutNotice = describeRequestTimeout(config);
  if (timeoutNotice !== undefined) logger.info(timeoutNotice);
  const secret = resolveSecret(config, options, (message) => logger.warn(message));
  const seed = options.seed ?? Date.now() ^ (process.pid << 8);
  const report = (message: NodeReport) => process.send?.(message);
  let storage;
  try {
    storage = await openStorage({
      nodeId,
      config,
      logger,
      inMemory: options.inMemory === true,
      dataDir: resolve(options.dataDir ?? join('.quartet', 'data', `node-${nodeId}`)),
      fresh: options.fresh === true,
    });
  } catch (error) {
    const record = toErrorRecord(error);
    report({ type: 'fatal', nodeId, ...record });
    process.disconnect?.();
    throw error;
  }
  if (storage.downForMs !== undefined && storage.downForMs > config.tombstoneGraceMs) {
    const message = `Node ${nodeId} was down for ${Math.round(storage.downForMs / 1000)} s, longer than tombstoneGraceMs (${config.tombstoneGraceMs} ms): values deleted meanwhile may come back from it. Run \`repair ${nodeId}\` now.`;
    logger.warn(message);
    report({ type: 'warning', nodeId, message });
  }
  storage.markAlive();
  const alive = setInterval(storage.markAlive, aliveEveryMs);
  alive.unref();
  const node = new QuartetNode({
    config,
    nodeId,
    secret,
    store: storage.store,
    hints: storage.hints,
    logger,
    random: createSeededRandom(seed * 31 + nodeId),
    heartbeatRandom: createSeededRandom(seed * 31 + nodeId + 0x9e3779b9),
    onEvent: (event) => report({ ...event, nodeId }),
    httpPort: options.httpPort ?? config.servers[nodeId - 1]?.httpPort,
    ...(options.listen === undefined ? {} : { listenHost: options.listen }),
  });

  let stopping = false;
  const stop = async (why: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info(`node ${nodeId} stopping: ${why}`);
    await node.stop().catch(() => {});
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // The orchestrator's IPC channel closing means it is gone: never outlive it.
  process.on('disconnect', () => void stop('the orchestrator went away'));
  process.on('message', (message) => {
    if (!applyControl(node, message)) {
      logger.warn(`ignored an unknown control message: ${JSON.stringify(message)}`);
      return;
    }
    logger.info(`control: ${JSON.stringify(message)}`);
    const id = (message as { id?: unknown }).id;
    if (typeof id === 'number') report({ type: 'control-ack', nodeId, id });
  });

  try {
    await node.start();
  } catch (error) {
    const record = toErrorRecord(error);
    report({ type: 'fatal', nodeId, ...record });
    logger.error(`${record.code}: ${record.message}`);
    await node.stop().catch(() => {});
    process.exitCode = 1;
    process.disconnect?.();
    throw error;
  }
  report({
    type: 'ready',
    nodeId,
    pid: process.pid,
    port: node.address.port,
    ...(node.httpAddress ? { httpPort: node.httpAddress.port } : {}),
  });
}

// `--id N` wins; `-p PORT` finds the server with that port, as the original `mp3.py -p 10000`.
function resolveNodeId(config: ClusterConfig, options: RunNodeOptions): number {
  if (options.id !== undefined) {
    if (!config.servers.some((server) => server.id === options.id)) {
      throw new QuartetError(
        'USAGE',
        `Expected \`--id\` to be between 1 and ${config.servers.length}, got ${options.id}.`,
      );
    }
    return options.id;
  }
  if (options.port !== undefined) {
    const server = config.servers.find((s) => s.port === options.port);
    if (server === undefined) {
      const ports = config.servers.map((s) => s.port).join(', ');
      throw new QuartetError(
        'USAGE',
        `No server in the config listens on port ${options.port}; use one of ${ports}.`,
      );
    }
    return server.id;
  }
  throw new QuartetError('USAGE', 'Say which node to run: `--id N` or `-p PORT`.');
}

function resolveSecret(
  config: ClusterConfig,
  options: RunNodeOptions,
  warn: (message: string) => void,
): string {
  const secret = options.secret ?? process.env.QUARTET_SECRET;
  if (secret !== undefined && secret !== '') return secret;
  warn(
    'No QUARTET_SECRET set: the peer handshake uses a secret derived from the config, which anyone with the config can compute.',
  );
  const addresses = config.servers.map((s) => `${s.host}:${s.port}`).join(',');
  return createHash('sha256').update(`quartet:${addresses}`).digest('hex');
}
