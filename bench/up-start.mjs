#!/usr/bin/env node
// `quartet up` end to end, as a user runs it: spawns `node bin/quartet up --in-memory` on free
// ports with stdin a pipe, N times, and prints per start the time from the spawn until the
// prompt's greeting (every node up and connected), the CPU the orchestrator and each node spent
// by then (from /proc), then sends `quit`; in parentheses `quartet up`'s own figure, from the
// start of the nodes until all are connected. `--root DIR`: the checkout whose bin/quartet to run
// (default this one), to measure two builds in turn.
// Usage: node bench/up-start.mjs [--runs 5] [--root DIR]
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleProcess } from '../dist/src/bench/resources.js';
import { findFreePorts } from '../dist/src/launcher/free-ports.js';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const runs = Number(argument('runs', 5));
const root = resolve(argument('root', join(dirname(fileURLToPath(import.meta.url)), '..')));
const greeting = 'Type `help` for the commands';

/** One `quartet up`: resolves with its figures once it said bye after `quit`. */
async function startOnce(dir, configPath) {
  const startMs = performance.now();
  const up = spawn(
    process.execPath,
    [join(root, 'bin', 'quartet'), 'up', '--in-memory', '--config', configPath, '--dir', dir],
    { stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } },
  );
  const exited = new Promise((resolve) => up.once('exit', resolve));
  // The start's progress (with each node's pid) goes to stderr, the greeting to stdout.
  let output = '';
  const readyMs = await new Promise((resolve, reject) => {
    up.stderr.on('data', (chunk) => (output += chunk.toString('utf8')));
    up.stdout.on('data', (chunk) => {
      output += chunk.toString('utf8');
      if (output.includes(greeting)) resolve(performance.now() - startMs);
    });
    void exited.then((code) => reject(new Error(`quartet up exited (${code}):\n${output}`)));
  });
  const pids = [...output.matchAll(/\(pid (\d+)\)/g)].map((match) => Number(match[1]));
  // `quartet up`'s own figure: from its first fork until every node is connected.
  const clusterMs = Number(/up and connected in (\d+) ms/.exec(output)?.[1]);
  const [orchestrator, ...nodes] = await Promise.all(
    [up.pid, ...pids].map(async (pid) => (await sampleProcess(pid))?.cpuMs ?? NaN),
  );
  up.stdin.end('quit\n');
  await exited;
  return { readyMs, clusterMs, orchestrator, nodes };
}

const rows = [];
for (let run = 1; run <= runs; run++) {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-up-start-'));
  const configPath = join(dir, 'config.json');
  const ports = await findFreePorts(4);
  const raw = { servers: ports.map((port) => `127.0.0.1:${port}`), replicationFactor: 3 };
  await writeFile(configPath, JSON.stringify(raw));
  try {
    const row = await startOnce(dir, configPath);
    rows.push(row);
    process.stdout.write(
      `start ${run}: prompt ready ${row.readyMs.toFixed(0)} ms (nodes started and connected in ${row.clusterMs}); CPU ms orchestrator ${row.orchestrator}, nodes ${row.nodes.join(' ')}\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
process.stdout.write(
  `median of ${runs}: prompt ready ${median(rows.map((r) => r.readyMs)).toFixed(0)} ms, CPU orchestrator ${median(rows.map((r) => r.orchestrator))} ms, per node ${median(rows.flatMap((r) => r.nodes))} ms\n`,
);
