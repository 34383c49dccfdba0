import { writeFile } from 'node:fs/promises';
import test from 'ava';
import { loadConfig } from '../../src/config/load.js';
import { Cluster } from '../../src/launcher/cluster.js';
import { startCluster } from '../../src/launcher/startup.js';
import { writeTestConfig } from '../helpers/cluster.js';

test('launched nodes run with the config the launcher loaded, without reading the file again', async (t) => {
  const { dir, configPath } = await writeTestConfig(t, { servers: 3, replicationFactor: 3 });
  const config = await loadConfig(configPath);
  // The file no longer parses: a node that read it would stop with BAD_CONFIG.
  await writeFile(configPath, '{ not a config');
  const cluster = new Cluster({ config, configPath, dir, inMemory: true });
  t.teardown(() => cluster.stop());
  await startCluster(cluster, { quiet: true });
  const client = await cluster.client(1);
  await client.insert('k', 'v', 'all');
  t.is((await client.get('k', 'all')).value, 'v');
});
