#!/usr/bin/env node
// A/B of two builds on a shared machine: `quartet bench` of each in turn, alternating, so both
// see the same load; prints ops/s and CPU µs per operation (nodes + bench) of every run and the
// load average. Build the base first, e.g.:
//   mkdir /tmp/base && git archive main | tar -x -C /tmp/base
//   ln -s "$PWD/node_modules" /tmp/base/node_modules && (cd /tmp/base && npx tsc -p tsconfig.json)
// Usage: node bench/ab.mjs BASE_DIR [--rounds 3] [--duration 5s] [--this-only 'OPTIONS']
//          [--wait-quiet] [--together] [-- more bench options]
// `--this-only` gives options to this checkout's runs only (say, one the base does not know).
// `--wait-quiet` starts each run only once no other quartet node runs on the machine (another
// bench would share the cores), waiting at most two minutes. `--together` runs the two builds
// at the same time instead (each round's start order swapped): each gets about half of the
// machine, so the figures are not a lone run's, but both see the VM at the same speed, and
// their ratio moves a few percent between rounds where alternated runs move 20.
// Ends with this build's ops/s over the base's (the sums over the rounds).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dashes = process.argv.indexOf('--');
const own = dashes === -1 ? process.argv.slice(2) : process.argv.slice(2, dashes);
const extra = dashes === -1 ? [] : process.argv.slice(dashes + 1);
const option = (name, fallback) => {
  const index = own.indexOf(`--${name}`);
  return index === -1 ? fallback : own[index + 1];
};
const base = own[0];
if (base === undefined || base.startsWith('--')) {
  console.error(
    'Usage: node bench/ab.mjs BASE_DIR [--rounds 3] [--duration 5s] [--this-only OPTIONS] [--wait-quiet] [--together] [-- bench options]',
  );
  process.exit(2);
}
const roundsText = option('rounds', '3');
const rounds = Number(roundsText);
const duration = option('duration', '5s');
const thisOnly = option('this-only', '')
  .split(' ')
  .filter((word) => word !== '');
const sides = [
  ['base', resolve(base), []],
  ['this', resolve(dirname(fileURLToPath(import.meta.url)), '..'), thisOnly],
];
// A base that is not a built checkout would fail in spawn with a stack trace: say so instead.
const baseBin = join(sides[0][1], 'bin', 'quartet');
if (!existsSync(baseBin)) {
  console.error(`ab: ${baseBin} does not exist; give the directory of a built quartet checkout.`);
  process.exit(2);
}
if (!(Number.isInteger(rounds) && rounds > 0)) {
  console.error(`ab: --rounds wants a whole number above 0, got ${roundsText}.`);
  process.exit(2);
}
const waitQuiet = own.includes('--wait-quiet');
const quietWaitMsMax = 120_000;
// Other processes running a quartet node (node-entry.js), read from /proc (Linux).
const otherNodes = () =>
  readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('launcher/node-entry');
    } catch {
      return false; // it exited while listed
    }
  }).length;
const untilQuiet = () => {
  const deadline = Date.now() + quietWaitMsMax;
  while (otherNodes() > 0 && Date.now() < deadline) execFileSync('sleep', ['1']);
  return otherNodes() === 0 ? 'quiet' : 'not quiet';
};
const together = own.includes('--together');
const run = (name, root, only, round) => {
  const out = join(dir, `${name}-${round}.json`);
  const args = [join(root, 'bin', 'quartet'), 'bench', '--keys', 'uniform'];
  args.push('--duration', duration, '--quiet', '--out', out, ...extra, ...only);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0
        ? done(JSON.parse(readFileSync(out, 'utf8')))
        : fail(new Error(`${name}'s bench exited with ${code}`)),
    );
  });
};
const report = (name, round, { opsPerSec, cpu }, quiet) => {
  const figures = [
    `${name} ${round}`.padEnd(8),
    `${Math.round(opsPerSec)} ops/s`.padStart(13),
    `CPU ${cpu.totalUsPerOp} µs/op (nodes ${cpu.nodesUsPerOp}, bench ${cpu.clientUsPerOp})`,
    `syscalls/op ${cpu.nodeReadCallsPerOp} r ${cpu.nodeWriteCallsPerOp} w`,
    `load ${loadavg()[0].toFixed(1)}`,
    quiet,
  ];
  console.log(figures.join('  '));
};
const sums = { base: 0, this: 0 };
const dir = mkdtempSync(join(tmpdir(), 'quartet-ab-'));
try {
  for (let round = 1; round <= rounds; round++) {
    // Together: both builds in one group, the one started first alternating; else one each.
    const order = together && round % 2 === 0 ? [...sides].reverse() : sides;
    for (const group of together ? [order] : order.map((side) => [side])) {
      const quiet = waitQuiet ? untilQuiet() : '';
      // Settled, not all: a failed bench leaves the other's cluster to end before ab does.
      const settled = await Promise.allSettled(group.map((side) => run(...side, round)));
      const failed = settled.find(({ status }) => status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      for (const [i, [name]] of group.entries()) {
        sums[name] += settled[i].value.opsPerSec;
        report(name, round, settled[i].value, quiet);
      }
    }
  }
  console.log(
    `this / base: ${(sums.this / sums.base).toFixed(3)} of the ops/s over ${rounds} rounds`,
  );
} catch (error) {
  console.error(`ab: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
