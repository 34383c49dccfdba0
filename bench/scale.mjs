#!/usr/bin/env node
// The scale table of bench/README.md: ops/s and p99 of workload A at level `one` as the
// cluster grows from 3 to 8 nodes and RF goes from 1 to 5, one short `quartet bench` per cell.
// Usage: node bench/scale.mjs [--duration 3s] [--inflight 64] [--level one] [--out DIR]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const duration = option('duration', '3s');
const inflight = option('inflight', '64');
const level = option('level', 'one');
const outDir = resolve(option('out', join('bench', 'results', `scale-${Date.now()}`)));
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'quartet');
const servers = [3, 4, 5, 6, 7, 8];
const factors = [1, 2, 3, 4, 5];
mkdirSync(outDir, { recursive: true });

const cells = new Map();
for (const n of servers) {
  for (const rf of factors.filter((rf) => rf <= n)) {
    const out = join(outDir, `n${n}-rf${rf}.json`);
    const args = [bin, 'bench', '--servers', `${n}`, '--rf', `${rf}`, '--level', level];
    args.push('--inflight', inflight, '--duration', duration, '--quiet', '--out', out);
    execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const result = JSON.parse(readFileSync(out, 'utf8'));
    cells.set(`${n}/${rf}`, result);
    process.stderr.write(
      `${n} nodes, RF ${rf}: ${result.opsPerSec} ops/s, p99 ${result.latencyMs.p99} ms\n`,
    );
  }
}

const table = (title, cell) => {
  const head = `| ${title} | ${factors.map((rf) => `RF ${rf}`).join(' | ')} |`;
  const rule = `|---|${factors.map(() => '---:').join('|')}|`;
  const rows = servers.map((n) => {
    const values = factors.map((rf) => {
      const result = cells.get(`${n}/${rf}`);
      return result === undefined ? '–' : cell(result);
    });
    return `| ${n} nodes | ${values.join(' | ')} |`;
  });
  return [head, rule, ...rows].join('\n');
};
process.stdout.write(`${table('ops/s', (r) => r.opsPerSec.toLocaleString('en-US'))}\n\n`);
process.stdout.write(`${table('p99 (ms)', (r) => r.latencyMs.p99.toFixed(2))}\n\n`);
process.stdout.write(`${table('node CPU µs/op', (r) => r.cpu.nodesUsPerOp.toFixed(0))}\n`);
process.stdout.write(`\nResults in ${outDir}\n`);
