import test from 'ava';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from '../../src/bench/result.js';
import { measureDisplayWidth } from '../../src/terminal/display-width.js';

const bin = join(findRepoRoot(dirname(fileURLToPath(import.meta.url))), 'bin', 'quartet');

function findRepoRoot(start: string): string {
  let directory = start;
  while (!existsSync(join(directory, 'package.json'))) directory = dirname(directory);
  return directory;
}

test('bench runs for two seconds and writes a valid JSON result', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-bench-test-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const out = join(dir, 'result.json');
  const run = await execa(
    'node',
    [
      bin,
      'bench',
      '--duration',
      '2s',
      '--warmup',
      '0',
      '--records',
      '500',
      '--inflight',
      '8',
      '--out',
      out,
    ],
    { reject: false, env: { NO_COLOR: '1' } },
  );
  t.is(run.exitCode, 0, run.stderr);
  t.regex(run.stdout, /ops\/s/);

  const result = JSON.parse(await readFile(out, 'utf8')) as BenchResult;
  t.is(result.kind, 'quartet-bench');
  t.true(result.opsPerSec > 0);
  const { p50, p90, p99, p999, max } = result.latencyMs;
  t.true(p50 > 0 && p50 <= p90 && p90 <= p99 && p99 <= p999 && p999 <= max);
  t.is(result.machine.cpus > 0, true);
  t.is(result.config.servers.length, 4);
  t.is(result.load.ops, 500);
  t.true(result.nodes.every((node) => node.pid !== undefined && (node.finished?.rssMb ?? 0) > 0));
});

test('bench --compare prints the ratio of two results', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-bench-test-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const out = join(dir, 'result.json');
  const bench = await execa(
    'node',
    [bin, 'bench', '--ops', '300', '--records', '100', '--inflight', '4', '--quiet', '--out', out],
    { reject: false },
  );
  t.is(bench.exitCode, 0, bench.stderr);
  const compare = await execa('node', [bin, 'bench', '--compare', out, out, '--width', '80'], {
    reject: false,
  });
  t.is(compare.exitCode, 0, compare.stderr);
  const wide = compare.stdout.split('\n').filter((line) => measureDisplayWidth(line) > 80);
  t.deepEqual(wide, [], 'the comparison fits 80 columns');
  t.regex(compare.stdout, /ops\/s .*1\.00×/);
});

test('bench --http drives the same workload through the nodes\u2019 HTTP API', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-bench-test-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const out = join(dir, 'result.json');
  const run = await execa(
    'node',
    [
      bin,
      'bench',
      '--http',
      '--ops',
      '300',
      '--records',
      '200',
      '--inflight',
      '8',
      '--quiet',
      '--out',
      out,
    ],
    { reject: false, env: { NO_COLOR: '1' } },
  );
  t.is(run.exitCode, 0, run.stderr);
  const result = JSON.parse(await readFile(out, 'utf8')) as BenchResult;
  t.is(result.settings.transport, 'http');
  t.is(result.load.ops, 200);
  t.deepEqual(result.load.errors, {});
  t.true(result.config.servers.every((server) => typeof server.httpPort === 'number'));
  t.true(result.opsPerSec > 0);
});
