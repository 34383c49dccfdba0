import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { loadConfig } from '../../src/config/load.js';
import { Cluster, type ClusterOptions } from '../../src/launcher/cluster.js';
import { findFreePorts } from '../../src/launcher/free-ports.js';
import { startCluster } from '../../src/launcher/startup.js';

export { findFreePorts };

export interface TestConfigInput {
  servers?: number;
  /** Per-server delays by node id, e.g. { 2: '300ms' }. */
  delays?: Record<number, string>;
  [field: string]: unknown;
}

/** A temp dir holding config.json for a cluster on free ports; removed by the test's teardown. */
export async function writeTestConfig(
  t: ExecutionContext,
  input: TestConfigInput = {},
): Promise<{ dir: string; configPath: string; ports: number[] }> {
  const { servers = 4, delays = {}, ...rest } = input;
  const dir = await mkdtemp(join(tmpdir(), 'quartet-test-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const ports = await findFreePorts(servers);
  const config = {
    servers: ports.map((port) => `127.0.0.1:${port}`),
    delays: Object.fromEntries(Object.entries(delays).map(([id, delay]) => [id, delay])),
    delayDistribution: 'fixed',
    requestTimeoutMs: 3000,
    ...rest,
  };
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  return { dir, configPath, ports };
}

/** Starts real node processes for a test; the teardown stops every one, on failure too. */
export async function startTestCluster(
  t: ExecutionContext,
  input: TestConfigInput = {},
  options: Pick<ClusterOptions, 'inMemory' | 'onWarning'> = {},
): Promise<Cluster> {
  const { dir, configPath } = await writeTestConfig(t, input);
  const config = await loadConfig(configPath);
  const cluster = new Cluster({ config, configPath, dir, ...options });
  t.teardown(() => cluster.stop());
  await startCluster(cluster, { quiet: true });
  return cluster;
}

/**
 * configs/default.json (node 2's messages ten times slower) moved to free ports, as the
 * examples expect it: returns the config's path in a temp dir the teardown removes.
 */
export async function writeDefaultConfig(
  t: ExecutionContext,
): Promise<{ dir: string; configPath: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-default-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const defaultUrl = new URL('../../../configs/default.json', import.meta.url);
  const config = JSON.parse(await readFile(defaultUrl, 'utf8'));
  const servers = (await findFreePorts(config.servers.length)).map((port) => `127.0.0.1:${port}`);
  config.delays = Object.fromEntries(
    config.servers.map((server: string, i: number) => [servers[i], config.delays[server]]),
  );
  config.servers = servers;
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify(config));
  return { dir, configPath };
}
