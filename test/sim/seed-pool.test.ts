import test from 'ava';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSeeds } from '../../src/sim/run-seeds.js';
import { createSummary, mergeSummary, type SimSummary } from '../../src/sim/summary.js';

const withoutTime = (summary: SimSummary) => JSON.stringify({ ...summary, elapsedMs: 0 });

test('seeds spread over worker threads sum up to the summary of one thread, byte for byte', async (t) => {
  const one = await runSeeds({ from: 7, count: 130 });
  const progress: number[] = [];
  const two = await runSeeds({
    from: 7,
    count: 130,
    workers: 2,
    chunkSeeds: 20,
    onProgress: (done) => progress.push(done),
  });
  t.is(two.runs, 130);
  t.is(withoutTime(two), withoutTime(one));
  // Seven chunks (six of 20, one of 10), each reported once as it finishes.
  t.is(progress.length, 7);
  t.is(progress.at(-1), 130);
});

test('merging summaries keeps the failed seeds in seed order and within the bound', (t) => {
  const part = (seeds: number[]): SimSummary => ({
    ...createSummary(),
    runs: 10,
    operations: 100,
    faults: { crash: seeds.length },
    failures: seeds.length,
    failed: seeds.map((seed) => ({ seed, replay: `sim --seed ${seed}`, finding: 'broken' })),
  });
  const summary = createSummary();
  mergeSummary(summary, part([3, 5]), 3);
  mergeSummary(summary, part([12, 14]), 3);
  t.is(summary.runs, 20);
  t.is(summary.operations, 200);
  t.is(summary.failures, 4);
  t.deepEqual(summary.faults, { crash: 4 });
  t.deepEqual(
    summary.failed.map((failed) => failed.seed),
    [3, 5, 12],
  );
});

const repoRoot = (() => {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) directory = dirname(directory);
  return directory;
})();
const quartet = (args: string[]) =>
  execa(process.execPath, [join(repoRoot, 'bin', 'quartet'), ...args], {
    reject: false,
    env: { NO_COLOR: '1' },
  });

test('`quartet sim --seeds --workers 2` prints what one worker prints, and refuses 0 workers', async (t) => {
  const [one, two, none] = await Promise.all([
    quartet(['sim', '--seeds', '250', '--workers', '1', '--width', '80']),
    quartet(['sim', '--seeds', '250', '--workers', '2', '--width', '80']),
    quartet(['sim', '--seeds', '250', '--workers', '0']),
  ]);
  t.is(one.exitCode, 0, one.stderr);
  t.is(two.exitCode, 0, two.stderr);
  const body = (stdout: string) => stdout.replace(/ in [\d.]+ s/, '');
  t.regex(one.stdout, /^250 seeds \(1\.\.250\)/);
  t.is(body(two.stdout), body(one.stdout));
  t.not(none.exitCode, 0);
  t.regex(none.stderr, /`--workers` to be between 1 and 64, got 0/);
});
