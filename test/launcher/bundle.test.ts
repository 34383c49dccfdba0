import { copyFile, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { bundleDir } from '../../src/launcher/bundle-files.js';
import { packageRoot } from '../../src/terminal/paths.js';
import { startTestCluster } from '../helpers/cluster.js';

test('a cluster forks its nodes from the bundle, and they serve a write and a read', async (t) => {
  const cluster = await startTestCluster(t, { servers: 3 }, { inMemory: true });
  if (process.platform === 'linux') {
    for (const id of cluster.nodeIds) {
      const args = readFileSync(`/proc/${cluster.info(id).pid}/cmdline`, 'utf8').split('\0');
      t.true(
        args.includes(join(bundleDir, 'node', 'node-entry.js')),
        `node ${id}: ${args.join(' ')}`,
      );
    }
  }
  const written = await (await cluster.client(1)).insert('bundled', 'yes', 'all');
  t.is(written.acks, 3);
  for (const id of cluster.nodeIds) {
    t.is((await (await cluster.client(id)).get('bundled', 'all')).value, 'yes', `node ${id}`);
  }
});

// bin/quartet and the three small modules it checks the bundle with, in a package of their own.
async function copyLauncherOnly(t: { teardown: (fn: () => Promise<void>) => void }) {
  const root = await mkdtemp(join(tmpdir(), 'quartet-unbuilt-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const files = [
    'bin/quartet',
    'dist/src/launcher/bundle-files.js',
    'dist/src/core/errors.js',
    'dist/src/terminal/paths.js',
  ];
  for (const file of files) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await copyFile(join(packageRoot, file), join(root, file));
  }
  await writeFile(join(root, 'package.json'), '{"type":"module"}');
  return root;
}

test('quartet without its bundle says to run `npm run build`, in one line', async (t) => {
  const root = await copyLauncherOnly(t);
  const result = await execa('node', [join(root, 'bin', 'quartet'), '--help'], { reject: false });
  t.is(result.exitCode, 1);
  t.is(
    result.stderr,
    `error NOT_BUILT: ${join(root, 'dist', 'bundle', 'cli', 'quartet.js')} is missing; run \`npm run build\`.`,
  );
});

test('quartet with a bundle older than the last tsc build says to run `npm run build`', async (t) => {
  const root = await copyLauncherOnly(t);
  const cli = join(root, 'dist', 'bundle', 'cli', 'quartet.js');
  await mkdir(dirname(cli), { recursive: true });
  await writeFile(cli, 'export async function main() { process.stdout.write("stale code ran"); }');
  await writeFile(join(root, 'dist', '.tsbuildinfo'), '{}');
  await utimes(cli, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  const stale = await execa('node', [join(root, 'bin', 'quartet'), '--help'], { reject: false });
  t.is(stale.exitCode, 1);
  t.is(stale.stdout, '');
  t.regex(stale.stderr, /^error NOT_BUILT: .*quartet\.js is older than tsc's last build/);
  // Bundled after tsc: it runs.
  await utimes(cli, new Date(), new Date());
  const built = await execa('node', [join(root, 'bin', 'quartet'), '--help'], { reject: false });
  t.is(built.stdout, 'stale code ran');
});
