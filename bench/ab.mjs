#!/usr/bin/env node
// A/B of two builds on a shared machine: `quartet bench` of each in turn, alternating, so both
// see the same load; prints ops/s and CPU µs per operation (nodes + bench) of every run and the
// load average. Build the base first, e.g.:
//   mkdir /tmp/base && git archive main | tar -x -C /tmp/base
//   ln -s "$PWD/node_modules" /tmp/base/node_modules && (cd /tmp/base && npx tsc -p tsconfig.json)
// Usage: node bench/ab.mjs BASE_DIR [--rounds 3] [--duration 5s] [--this-only 'OPTIONS']
//          [-- more bench options]
// `--this-only` gives options to this checkout's runs only (say, one the base does not know).
// `--wait-quiet` starts each run only once no other quartet node runs on the machine (another
// bench would share the cores), waiting at most two minutes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
    'Usage: node bench/ab.mjs BASE_DIR [--rounds 3] [--duration 5s] [--this-only OPTIONS] [-- bench options]',
  );
  process.exit(2);
}
const rounds = Number(option('rounds', '3'));
const duration = option('duration', '5s');
const thisOnly = option('this-only', '')
  .split(' ')
  .filter((word) => word !== '');
const sides = [
  ['base', resolve(base), []],
  ['this', resolve(dirname(fileURLToPath(import.meta.url)), '..'), thisOnly],
];
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
const dir = mkdtempSync(join(tmpdir(), 'quartet-ab-'));
try {
  for (let round = 1; round <= rounds; round++) {
    for (const [name, root, only] of sides) {
      const out = join(dir, `${name}-${round}.json`);
      const args = [join(root, 'bin', 'quartet'), 'bench', '--keys', 'uniform'];
      args.push('--duration', duration, '--quiet', '--out', out, ...extra, ...only);
      const quiet = waitQuiet ? untilQuiet() : '';
      execFileSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
      const { opsPerSec, cpu } = JSON.parse(readFileSync(out, 'utf8'));
      const figures = [
        `${name} ${round}`.padEnd(8),
        `${Math.round(opsPerSec)} ops/s`.padStart(13),
        `CPU ${cpu.totalUsPerOp} µs/op (nodes ${cpu.nodesUsPerOp}, bench ${cpu.clientUsPerOp})`,
        `syscalls/op ${cpu.nodeReadCallsPerOp} r ${cpu.nodeWriteCallsPerOp} w`,
        `load ${loadavg()[0].toFixed(1)}`,
        quiet,
      ];
      console.log(figures.join('  '));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
