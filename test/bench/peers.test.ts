import test from 'ava';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPeerBinary, peerPrograms } from '../../src/bench/peers/peer-binary.js';
import { rateEtcd } from '../../src/bench/peers/peer-ratios.js';
import { parseRedisCsv } from '../../src/bench/peers/redis-side.js';
import { resolveBenchOptions } from '../../src/bench/options.js';

const bin = join(findRepoRoot(dirname(fileURLToPath(import.meta.url))), 'bin', 'quartet');

function findRepoRoot(start: string): string {
  let directory = start;
  while (!existsSync(join(directory, 'package.json'))) directory = dirname(directory);
  return directory;
}

// Nothing of the comparison itself runs in `npm test`: only its refusals.
const refusesWhenMissing = test.macro({
  async exec(t, peer: string, command: string, debianPackage: string) {
    const emptyPath = await mkdtemp(join(tmpdir(), 'quartet-no-peers-'));
    t.teardown(() => rm(emptyPath, { recursive: true, force: true }));
    const run = await execa(process.execPath, [bin, 'bench', '--vs', peer, '--duration', '1s'], {
      reject: false,
      env: { PATH: emptyPath, NO_COLOR: '1' },
      extendEnv: false,
    });
    t.is(run.exitCode, 1, run.stderr);
    const lines = run.stderr.trim().split('\n');
    t.is(lines.length, 1, run.stderr);
    t.regex(lines[0]!, /^error PEER_MISSING: /);
    t.true(lines[0]!.includes(`\`${command}\` is not installed`), lines[0]);
    t.true(lines[0]!.includes(`apt-get install ${debianPackage}`), lines[0]);
    t.is(run.stdout, '', 'no node started and nothing measured');
  },
  title: (_, peer: string) => `bench --vs ${peer} refuses clearly when the peer is not installed`,
});

test(refusesWhenMissing, 'redis', 'redis-server', 'redis-server');
test(refusesWhenMissing, 'etcd', 'etcd', 'etcd-server');

test('bench --vs refuses a peer it does not know with a usage error', async (t) => {
  const run = await execa(process.execPath, [bin, 'bench', '--vs', 'mongo'], { reject: false });
  t.is(run.exitCode, 2);
  t.regex(run.stderr, /USAGE: Expected `--vs` to be redis or etcd, got "mongo"\./);
});

test('bench --vs asks for at least two rounds', async (t) => {
  const run = await execa(process.execPath, [bin, 'bench', '--vs', 'etcd', '--rounds', '1'], {
    reject: false,
  });
  t.is(run.exitCode, 2);
  t.regex(run.stderr, /`--rounds` to be a whole number from 2 to 20, got 1/);
});

test('a peer program is found on PATH', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-peer-path-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dir, 'etcd'), '#!/bin/sh\n', { mode: 0o755 });
  t.is(findPeerBinary(peerPrograms.etcd, `/nonexistent:${dir}`), join(dir, 'etcd'));
  t.throws(() => findPeerBinary(peerPrograms.redisServer, dir), { message: /redis-server/ });
});

test("redis-benchmark's CSV is read by its header", (t) => {
  const csv = [
    '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"',
    '"SET","41753.65","1.017","0.288","0.999","1.471","1.679","5.167"',
    '"GET","41237.11","1.044","0.176","0.951","1.543","4.391","7.895"',
  ].join('\n');
  t.deepEqual(parseRedisCsv(csv), {
    set: { opsPerSec: 41753.65, p50Ms: 0.999, p99Ms: 1.679 },
    get: { opsPerSec: 41237.11, p50Ms: 0.951, p99Ms: 4.391 },
  });
  t.throws(() => parseRedisCsv('Could not connect to Redis'), { message: /no SET\/GET figures/ });
});

test('the etcd ratios hold quartet to twice the puts at 64 and at most the p50 at 1', (t) => {
  const side = (opsPerSec: number, p50Ms: number) => ({
    opsPerSec,
    p50Ms,
    p99Ms: 0,
    cpuUsPerOp: 1,
  });
  const round = (round: number, q64: number, e64: number, q1: number, e1: number) => ({
    round,
    quartet: { inflight64: side(q64, 1), inflight1: side(100, q1) },
    etcd: { inflight64: side(e64, 1), inflight1: side(100, e1) },
  });
  const [ops, p50] = rateEtcd([round(1, 3000, 1000, 1, 2), round(2, 1000, 1000, 3, 2)]);
  t.is(ops!.value, 2);
  t.true(ops!.met);
  t.is(p50!.value, 1);
  t.true(p50!.met);
});

test('--rounds without --vs is a usage error', (t) => {
  t.throws(() => resolveBenchOptions({ rounds: 3 }), {
    message: '`--rounds` counts the rounds of `--vs redis|etcd`; give `--vs` too.',
  });
});
