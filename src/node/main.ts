import {
  IpcTracer,
  traceBufferBytesMax,
  traceBufferEventsMax,
  type SendBatch,
} from './ipc-tracer.js';
import type { TraceEvent } from '../trace/trace-format.js';
import { traceMessagesBeforeEnv, traceOriginEnv } from './trace-env.js';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { describeRequestTimeout } from '../config/request-timeout.js';
import type { ClusterConfig } from '../config/types.js';
import { QuartetError, toErrorRecord } from '../core/errors.js';
import { createSeededRandom } from '../core/random.js';
import type { NodeReport } from '../protocol/control.js';
import { applyControl } from './control.js';
import { SwitchableTracer } from './operator-trace.js';
import { createLogger, type Logger } from './logger.js';
import { QuartetNode } from './node.js';
import { rejoinWarning } from './rejoin-warning.js';
import { resolveSecret } from './secret.js';
import { openStorage } from './storage/open-storage.js';

export interface RunNodeOptions {
  config: string;
  id?: number;
  port?: number;
  delayUnit?: 'ms' | 's';
  seed?: number;
  /** The working directory: DIR/secret, and DIR/data unless `dataDir` says otherwise. */
  dir?: string;
  secretFile?: string;
  /** Where the nodes keep their data: this node's is DATA_DIR/node-N. */
  dataDir?: string;
  inMemory?: boolean;
  fresh?: boolean;
  /** The HTTP API's port; wins over the server's `httpPort` in the config. */
  httpPort?: number;
  /** The address to bind instead of the config's host (peers still dial the config's). */
  listen?: string;
  /** Write the log to LOG_DIR/node-N.log instead of stderr (the terminal is the node's prompt). */
  logDir?: string;
}

export interface RunNodeHooks {
  /** Registers the node's graceful stop to run on SIGINT, SIGTERM and SIGHUP. */
  onStopSignal: (stop: () => Promise<void>) => void;
}

/** A node that listens, for whoever started it in this process (the node's prompt). */
export interface RunningNode {
  nodeId: number;
  config: ClusterConfig;
  /** host:port it listens on. */
  address: string;
  /** The cluster secret it runs with: its prompt sends faults to the others over operator connections. */
  secret: string;
  /** Where its log goes; undefined: stderr. */
  logFile: string | undefined;
  /** Stops the node and exits the process with `exitCode`. */
  stop(why: string, exitCode?: number): Promise<void>;
}

/** How often a node records that it is alive (to tell, after a crash, how long it was down). */
const aliveEveryMs = 1000;

/**
 * `quartet node`: one node in the foreground until a signal or its orchestrator goes away.
 * Resolves once it listens.
 */
export async function runNode(options: RunNodeOptions, hooks: RunNodeHooks): Promise<RunningNode> {
  const workDir = resolve(options.dir ?? '.quartet');
  const config = await loadConfig(
    options.config,
    options.delayUnit ? { delayUnit: options.delayUnit } : {},
  );
  const nodeId = resolveNodeId(config, options);
  const logFile =
    options.logDir === undefined ? undefined : join(resolve(options.logDir), `node-${nodeId}.log`);
  const logger = await openLogger(logFile);
  const secret = await readSecret(options, workDir, logger);
  const timeoutNotice = describeRequestTimeout(config);
  if (timeoutNotice !== undefined) logger.info(timeoutNotice);
  const seed = options.seed ?? Date.now() ^ (process.pid << 8);
  const report = (message: NodeReport) => process.send?.(message);
  let storage;
  try {
    storage = await openStorage({
      nodeId,
      config,
      logger,
      inMemory: options.inMemory === true,
      dataDir: join(resolve(options.dataDir ?? join(workDir, 'data')), `node-${nodeId}`),
      fresh: options.fresh === true,
    });
  } catch (error) {
    const record = toErrorRecord(error);
    report({ type: 'fatal', nodeId, ...record });
    process.disconnect?.();
    throw error;
  }
  const message = rejoinWarning(nodeId, storage.downForMs, config.tombstoneGraceMs);
  if (message !== undefined) {
    logger.warn(message);
    report({ type: 'warning', nodeId, message });
  }
  storage.markAlive();
  const alive = setInterval(storage.markAlive, aliveEveryMs);
  alive.unref();
  const tracer = ipcTracer(nodeId, logger);
  // Without an orchestrator's trace, an operator may switch one on over TCP (`up --attach`).
  const operatorTracer = tracer === undefined ? new SwitchableTracer(nodeId) : undefined;
  const node: QuartetNode = new QuartetNode({
    ...(tracer === undefined ? { tracer: operatorTracer, operatorTracer } : { tracer }),
    config,
    nodeId,
    secret,
    store: storage.store,
    hints: storage.hints,
    logger,
    random: createSeededRandom(seed * 31 + nodeId),
    heartbeatRandom: createSeededRandom(seed * 31 + nodeId + 0x9e3779b9),
    onEvent: (event) => report({ ...event, nodeId }),
    // Faults an orchestrator attached to this node sends over TCP, after proving the secret.
    onControl: (control): boolean => applyControl(node, control),
    httpPort: options.httpPort ?? config.servers[nodeId - 1]?.httpPort,
    ...(options.listen === undefined ? {} : { listenHost: options.listen }),
  });

  let stopped: Promise<void> | undefined;
  const stopNode = (why: string) =>
    (stopped ??= (async () => {
      logger.info(`node ${nodeId} stopping: ${why}`);
      await node.stop().catch(() => {});
      tracer?.flush();
    })());
  const stop = async (why: string, exitCode = 0) => {
    await stopNode(why);
    process.exit(exitCode);
  };
  // A signal stops the node; the process then exits with 128 + the signal's number.
  hooks.onStopSignal(() => stopNode('a signal'));
  // The orchestrator's IPC channel closing means it is gone: never outlive it.
  process.on('disconnect', () => void stop('the orchestrator went away'));
  process.on('message', (message) => {
    const asked = message as { type?: unknown; id?: unknown };
    // The orchestrator asks for the trace so far: the ack follows the last batch on the channel.
    if (asked.type === 'trace-flush' && typeof asked.id === 'number') {
      const flushId = asked.id;
      const ack = () => report({ type: 'control-ack', nodeId, id: flushId });
      if (tracer === undefined) ack();
      else tracer.whenSent(ack);
      return;
    }
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
  const address = `${node.address.host}:${node.address.port}`;
  return { nodeId, config, address, secret, logFile, stop };
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

// The secret is never derived from the config: --secret-file, QUARTET_SECRET or DIR/secret.
async function readSecret(
  options: RunNodeOptions,
  workDir: string,
  logger: Logger,
): Promise<string> {
  const resolved = await resolveSecret({
    ...(options.secretFile === undefined ? {} : { secretFile: resolve(options.secretFile) }),
    ...(process.env.QUARTET_SECRET === undefined ? {} : { env: process.env.QUARTET_SECRET }),
    dir: workDir,
  });
  logger.info(`cluster secret ${resolved.created ? 'created in' : 'from'} ${resolved.from}`);
  if (resolved.warning !== undefined) logger.warn(resolved.warning);
  return resolved.secret;
}

async function openLogger(logFile: string | undefined): Promise<Logger> {
  if (logFile === undefined) return createLogger('info');
  await mkdir(dirname(logFile), { recursive: true });
  const stream = createWriteStream(logFile, { flags: 'a' });
  return createLogger('info', (line) => void stream.write(line));
}

// A forked node traces to its orchestrator when asked to; a bad origin is logged and ignored.
function ipcTracer(nodeId: number, logger: Logger): IpcTracer | undefined {
  const raw = process.env[traceOriginEnv];
  if (raw === undefined || process.send === undefined) return undefined;
  const originUs = Number(raw);
  if (!Number.isSafeInteger(originUs) || originUs <= 0) {
    logger.warn(`ignored ${traceOriginEnv}=${raw}: not a time in microseconds; no trace`);
    return undefined;
  }
  const before = Number(process.env[traceMessagesBeforeEnv] ?? 0);
  const messagesBefore = Number.isSafeInteger(before) && before > 0 ? before : 0;
  const send = process.send.bind(process);
  const batch: SendBatch = ({ count, bytes, messages }, done) => {
    const report: NodeReport = { type: 'trace', nodeId, count, bytes, messages };
    send(report, undefined, {}, () => done());
  };
  return new IpcTracer(
    nodeId,
    originUs,
    batch,
    traceBufferEventsMax,
    traceBufferBytesMax,
    messagesBefore,
  );
}
