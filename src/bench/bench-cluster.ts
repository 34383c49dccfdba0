import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, parseConfig } from '../config/load.js';
import { describeRequestTimeout } from '../config/request-timeout.js';
import type { ClusterConfig } from '../config/types.js';
import { QuartetError } from '../core/errors.js';
import { Cluster } from '../launcher/cluster.js';
import { findFreePorts } from '../launcher/free-ports.js';
import { startCluster } from '../launcher/startup.js';
import { benchDefaults, type BenchOptions } from './options.js';

export interface BenchCluster {
  cluster: Cluster;
  config: ClusterConfig;
  /** The temp dir holding the config and the node logs. */
  dir: string;
  /** From forking the nodes to every node connected to every other. */
  startupMs: number;
  /** Nodes that exited on their own (crashed) while the bench ran. */
  readonly exited: number[];
  /** Stops every node; safe to call more than once. */
  stop(): Promise<void>;
  /** Stops every node and removes the temp dir. */
  dispose(): Promise<void>;
}

const host = '127.0.0.1';
const startAttemptsMax = 3;

/**
 * Starts the bench's cluster on free ports: the given config's servers, delays and links moved
 * to fresh ports on this machine, or `--servers N` zero-delay nodes. Never fixed ports.
 */
export async function startBenchCluster(
  options: BenchOptions,
  /** Told how to stop the nodes and remove the temp dir as soon as there is something to stop. */
  onDispose: (dispose: () => Promise<void>) => void = () => {},
): Promise<BenchCluster> {
  const base = await readBaseConfig(options);
  const timeoutNotice = describeRequestTimeout(base);
  if (timeoutNotice !== undefined && !options.quiet) process.stderr.write(`${timeoutNotice}\n`);
  for (let attempt = 1; ; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), 'quartet-bench-'));
    const configPath = join(dir, 'config.json');
    // With --http, a second free port per node for its HTTP API.
    const ports = await findFreePorts(base.servers.length * (options.http ? 2 : 1));
    const raw = toRawConfig(base, ports.slice(0, base.servers.length));
    if (options.http) {
      raw.servers = ports.slice(0, base.servers.length).map((port, index) => ({
        host,
        port,
        httpPort: ports[base.servers.length + index],
      }));
    }
    await writeFile(configPath, JSON.stringify(raw, null, 2));
    const config = await loadConfig(configPath);
    const exited: number[] = [];
    // In memory unless --durable: then the nodes' own store, in a fresh dir under the temp dir.
    const cluster = new Cluster({
      config,
      configPath,
      dir,
      seed: options.seed,
      inMemory: !options.durable,
      fresh: true,
      traced: options.trace,
      onNodeExit: (id) => exited.push(id),
    });
    let stopped: Promise<void> | undefined;
    const stop = () => (stopped ??= cluster.stop());
    const dispose = async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    };
    onDispose(dispose);
    try {
      const startedAtMs = performance.now();
      await startCluster(cluster, { quiet: options.quiet });
      const startupMs = Math.round(performance.now() - startedAtMs);
      return { cluster, config, dir, startupMs, exited, stop, dispose };
    } catch (error) {
      // Another program may take a probed port before a node binds it: try fresh ports.
      const retry = error instanceof QuartetError && error.code === 'PORT_IN_USE';
      if (retry && attempt < startAttemptsMax) await dispose();
      else {
        await stop();
        throw error;
      }
    }
  }
}

async function readBaseConfig(options: BenchOptions): Promise<ClusterConfig> {
  const base =
    options.configPath === undefined
      ? generateConfig(options.servers ?? benchDefaults.servers)
      : await loadConfig(
          resolve(options.configPath),
          options.delayUnit === undefined ? {} : { delayUnit: options.delayUnit },
        );
  if (options.replicationFactor === undefined) return base;
  if (options.replicationFactor < 1 || options.replicationFactor > base.servers.length) {
    throw new QuartetError(
      'USAGE',
      `Expected \`--rf\` to be from 1 to the number of servers (${base.servers.length}), got ${options.replicationFactor}.`,
    );
  }
  return { ...base, replicationFactor: options.replicationFactor };
}

// N nodes, zero delay, in memory, validated by the same loader as any config; the ports are
// placeholders until toRawConfig moves the servers onto free ones.
function generateConfig(servers: number): ClusterConfig {
  return parseConfig({
    servers: Array.from({ length: servers }, (_, index) => `${host}:${index + 1}`),
    delayDistribution: 'fixed',
    replicationFactor: Math.min(3, servers),
    defaultLevel: 'one',
    readRepair: 'background',
  });
}

/** The config as JSON the loader reads back, its servers moved onto `ports` (ids kept). */
export function toRawConfig(config: ClusterConfig, ports: number[]): Record<string, unknown> {
  return {
    description: 'Written by `quartet bench` for one run, on free ports.',
    servers: config.servers.map((_, index) => `${host}:${ports[index]}`),
    delays: Object.fromEntries(config.servers.map((server) => [server.id, server.delayMsMean])),
    delayDistribution: config.delayDistribution,
    fifo: config.fifo,
    links: config.links.map((link) => ({
      from: link.from,
      to: link.to,
      ...(link.delayMsMean === undefined ? {} : { delay: link.delayMsMean }),
      ...(link.lossRate === undefined ? {} : { loss: link.lossRate }),
    })),
    replicationFactor: config.replicationFactor,
    defaultLevel: config.defaultLevel,
    readRepair: config.readRepair,
    // Left out when derived, so the copy derives it again (and says so) from the same delays.
    ...(config.requestTimeoutSource === 'config'
      ? { requestTimeoutMs: config.requestTimeoutMs }
      : {}),
    tombstoneGraceMs: config.tombstoneGraceMs,
    virtualNodes: config.virtualNodes,
    keyBytesMax: config.keyBytesMax,
    valueBytesMax: config.valueBytesMax,
  };
}
