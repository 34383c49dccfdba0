#!/usr/bin/env node
// Memory and speed at a million keys beside ten thousand, in one run: workload A at `one`, 64 in
// flight, `quartet bench --records N` alternating 10,000 and 1,000,000 keys of 100 B (--rounds
// times), then each size's ops/s, CPU per op and largest RSS per node, and the ratio.
// Usage: node bench/records.mjs [--rounds 2] [--duration 5s] [--out DIR]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const rounds = Number(option('rounds', '2'));
const duration = option('duration', '5s');
const outDir = resolve(option('out', join('bench', 'results', `records-${Date.now()}`)));
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'quartet');
const sizes = [10_000, 1_000_000];
mkdirSync(outDir, { recursive: true });

const runs = new Map(sizes.map((records) => [records, []]));
for (let round = 1; round <= rounds; round++) {
  for (const records of sizes) {
    const out = join(outDir, `r${round}-${records}.json`);
    const args = [bin, 'bench', '--records', `${records}`, '--value-size', '100'];
    args.push('--duration', duration, '--quiet', '--out', out);
    execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const result = JSON.parse(readFileSync(out, 'utf8'));
    const peakMb = Math.max(
      ...result.nodes.map((node) => node.finished.peakRssMb ?? node.finished.rssMb),
    );
    const row = {
      ops: result.opsPerSec,
      cpu: result.cpu.totalUsPerOp,
      peakMb,
      load: result.machine.loadAverage[0],
    };
    runs.get(records).push(row);
    process.stdout.write(
      `round ${round}, ${records.toLocaleString('en-US')} keys: ${row.ops.toLocaleString('en-US')} ops/s, ${row.cpu} µs/op, peak RSS ${row.peakMb} MB per node at most (load ${row.load})\n`,
    );
  }
}
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const [small, large] = sizes.map((records) => runs.get(records));
process.stdout.write(
  `1M/10k: ops/s ${(mean(large.map((r) => r.ops)) / mean(small.map((r) => r.ops))).toFixed(3)}, CPU/op ${(mean(large.map((r) => r.cpu)) / mean(small.map((r) => r.cpu))).toFixed(3)}; largest peak RSS at 1M ${Math.max(...large.map((r) => r.peakMb))} MB\n`,
);
