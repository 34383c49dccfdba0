import { readFileSync } from 'node:fs';
import test from 'ava';
import { nodeSemiSpaceMb } from '../../src/launcher/node-process.js';
import { startTestCluster } from '../helpers/cluster.js';

test('node processes start with the small young generation that keeps their RSS down', async (t) => {
  if (process.platform !== 'linux') {
    t.pass('reads /proc: Linux only');
    return;
  }
  const cluster = await startTestCluster(t, { servers: 3 }, { inMemory: true });
  for (const id of cluster.nodeIds) {
    const args = readFileSync(`/proc/${cluster.info(id).pid}/cmdline`, 'utf8').split('\0');
    t.true(
      args.includes(`--max-semi-space-size=${nodeSemiSpaceMb}`),
      `node ${id}: ${args.join(' ')}`,
    );
  }
});
