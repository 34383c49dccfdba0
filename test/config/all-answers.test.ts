// The original config.py, scaled, and a config with a 4 s server: requests at `all` wait for every
// replica (as the original did) instead of timing out after the old fixed 5 s.
import test from 'ava';
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { Cluster } from '../../src/launcher/cluster.js';
import { quartetBin } from '../../src/terminal/paths.js';
import { startCluster } from '../../src/launcher/startup.js';
import { findFreePorts, writeTestConfig } from '../helpers/cluster.js';

const oldFixedTimeoutMs = 5000;

async function makeTempDir(t: import('ava').ExecutionContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-all-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// config.py's delays 2, 20, 2, 2 (seconds) at a quarter of the scale, fixed so the test is exact:
// node 2 coordinates, so every replica's round trip is 0.5 s out and 5 s back, past the old 5 s.
function scaledConfigPy(ports: number[]): string {
  const delays = [0.5, 5, 0.5, 0.5];
  const servers = ports.map((port) => `    ("127.0.0.1", ${port})`).join(',\n');
  const entries = ports.map((port, i) => `    ("127.0.0.1", ${port}): ${delays[i]}`).join(',\n');
  return `servers = [\n${servers}\n]\ndelays = {\n${entries}\n}\ndelayDistribution = "fixed"\n`;
}

test('the original config.py, scaled, answers writes and reads at `all` after 5.5 s instead of timing out', async (t) => {
  const dir = await makeTempDir(t);
  const configPath = join(dir, 'config.py');
  await writeFile(configPath, scaledConfigPy(await findFreePorts(4)));
  const config = await loadConfig(configPath);
  t.is(config.requestTimeoutSource, 'derived');
  t.is(config.requestTimeoutMs, 6875, '1.25 × (5 s + 0.5 s)');

  const cluster = new Cluster({ config, configPath, dir, inMemory: true });
  t.teardown(() => cluster.stop());
  await startCluster(cluster, { quiet: true });
  const client = await cluster.client(2);
  const startedMs = performance.now();
  // A TIMEOUT rejects, failing the test with its message.
  const [write, read] = await Promise.all([
    client.insert('5', 'written', 'all'),
    client.get('6', 'all'),
  ]);
  const tookMs = performance.now() - startedMs;
  t.is(write.acks, 3);
  t.is(read.acks, 3);
  t.true(tookMs > oldFixedTimeoutMs, `${Math.round(tookMs)} ms: past the old fixed timeout`);
  t.false(read.found);
});

test('`quartet run` with a 4 s server says the timeout it derived and answers at `all`', async (t) => {
  const { dir, configPath } = await writeTestConfig(t, {
    delays: { 1: '1.5s', 2: '4s' },
    requestTimeoutMs: undefined,
  });
  const batch = join(dir, 'slow.kv');
  await writeFile(batch, '@2 insert 5 1 all => ok\n');
  const result = await execa(quartetBin, ['run', batch, '--config', configPath, '--dir', dir], {
    reject: false,
  });
  t.is(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  t.regex(
    `${result.stdout}\n${result.stderr}`,
    /requestTimeoutMs derived from the delays: 6875 ms \(set it in the config to choose another\)/,
  );
});
