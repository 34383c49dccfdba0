#!/usr/bin/env node
// Where `quartet up`'s start goes. Forks a fresh cluster on free ports N times (the launcher's
// Cluster, as `quartet up` and `quartet bench` use it) and prints, per start: the time until
// every node listens (its 'ready' report), until every node is connected to every other, and
// the CPU time each node spent by then (from /proc: the figure that moves least with load).
// Usage: node bench/startup.mjs [--runs 5] [--servers 4]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleProcess } from '../dist/src/bench/resources.js';
import { loadConfig } from '../dist/src/config/load.js';
import { Cluster } from '../dist/src/launcher/cluster.js';
import { findFreePorts } from '../dist/src/launcher/free-ports.js';

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const runs = option('runs', 5);
const servers = option('servers', 4);
const rows = [];
for (let run = 1; run <= runs; run++) {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-startup-'));
  const configPath = join(dir, 'config.json');
  const ports = await findFreePorts(servers);
  const raw = { servers: ports.map((port) => `127.0.0.1:${port}`), replicationFactor: 3 };
  await writeFile(configPath, JSON.stringify(raw));
  const cluster = new Cluster({
    config: await loadConfig(configPath),
    configPath,
    dir,
    inMemory: true,
    fresh: true,
  });
  try {
    await cluster.prepare();
    const startMs = performance.now();
    await Promise.all(cluster.nodeIds.map((id) => cluster.startNode(id)));
    const listeningMs = performance.now() - startMs;
    await cluster.waitForPeers();
    const connectedMs = performance.now() - startMs;
    const samples = await Promise.all(
      cluster.nodeIds.map((id) => sampleProcess(cluster.info(id).pid)),
    );
    const cpuMs = samples.map((sample) => sample?.cpuMs ?? NaN);
    rows.push({ listeningMs, connectedMs, cpuMs });
    process.stdout.write(
      `start ${run}: all listening ${listeningMs.toFixed(0)} ms, all connected ${connectedMs.toFixed(0)} ms; node CPU ms ${cpuMs.map((ms) => ms.toFixed(0)).join(' ')}\n`,
    );
  } finally {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
process.stdout.write(
  `median of ${runs}: listening ${median(rows.map((r) => r.listeningMs)).toFixed(0)} ms, connected ${median(rows.map((r) => r.connectedMs)).toFixed(0)} ms, CPU per node ${median(rows.flatMap((r) => r.cpuMs)).toFixed(0)} ms\n`,
);
