// `npm run soak -- --duration 10m`: a mixed workload at 80% of the measured peak on a real
// 4-node cluster, a fault every few seconds; ops/s, p99 and each node's RSS per window; fails
// when RSS grows without bound, p99 drifts, or a write acknowledged at quorum or all is lost.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeLatency } from '../../src/bench/latency.js';
import { sampleProcess } from '../../src/bench/resources.js';
import type { QuartetClient } from '../../src/client/client.js';
import { parseDurationMs } from '../../src/config/durations.js';
import { loadConfig } from '../../src/config/load.js';
import { QuartetError } from '../../src/core/errors.js';
import { Cluster } from '../../src/launcher/cluster.js';
import { findFreePorts } from '../../src/launcher/free-ports.js';
import { startCluster } from '../../src/launcher/startup.js';
import { createFaults, crashVictim, faultHoldMs, faultIntervalMs } from './faults.js';
import { SoakLoad } from './load.js';
import { fitSlopeMbPerMin, judgeSoak, rssFitMsMin } from './verdict.js';

/** How long the peak is measured, without faults, before the soak. */
const peakMs = 5_000;
/** The soak's load as a share of the measured peak. */
const loadShare = 0.8;
/** How often each node's RSS is sampled. */
const rssSampleMs = 5_000;
const nodeIds = [1, 2, 3, 4];

function parseArgs(argv: string[]): { durationMs: number } {
  const at = argv.indexOf('--duration');
  const raw = at === -1 ? '10m' : argv[at + 1];
  if (raw === undefined)
    throw new QuartetError('USAGE', 'Expected a duration after --duration, e.g. `--duration 10m`.');
  return { durationMs: parseDurationMs(raw, 's', '--duration') };
}

async function main(): Promise<boolean> {
  const { durationMs } = parseArgs(process.argv.slice(2));
  const windowMs = Math.min(60_000, Math.round(durationMs / 3));
  const dir = await mkdtemp(join(tmpdir(), 'quartet-soak-'));
  const ports = await findFreePorts(nodeIds.length);
  const configPath = join(dir, 'config.json');
  await writeFile(
    configPath,
    JSON.stringify({ servers: ports.map((port) => `127.0.0.1:${port}`), requestTimeoutMs: 2000 }),
  );
  const cluster = new Cluster({ config: await loadConfig(configPath), configPath, dir });
  const stopAll = async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    await startCluster(cluster, { quiet: true });
    const clients: (QuartetClient | undefined)[] = await Promise.all(
      nodeIds.map((id) => cluster.client(id)),
    );
    const load = new SoakLoad(() => clients);

    load.start(Infinity);
    await new Promise((resolve) => setTimeout(resolve, peakMs));
    await load.stop();
    const peakOpsPerSecond = Math.round(load.takeWindow().ops / (peakMs / 1000));
    const rate = Math.round(peakOpsPerSecond * loadShare);
    console.log(
      `soak: peak ${peakOpsPerSecond} ops/s; running ${durationMs / 1000} s at ${rate} ops/s with a fault every ${faultIntervalMs / 1000} s`,
    );
    load.acked.clear();

    const startedMs = performance.now();
    const rssSamples = new Map<number, { atMs: number; rssMb: number }[]>(
      nodeIds.map((id) => [id, []]),
    );
    const p99s: number[] = [];
    const faults = createFaults(cluster);
    let faultIndex = 0;
    /** A fault that could not be injected or undone ends the soak's faults and fails it. */
    const faultErrors: string[] = [];
    let faulting = Promise.resolve();
    const faultTimer = setInterval(() => {
      if (faultErrors.length > 0) return;
      const fault = faults[faultIndex++ % faults.length]!;
      faulting = faulting.then(async () => {
        if (fault.name.startsWith('kill')) clients[crashVictim - 1] = undefined;
        await fault.inject();
        await new Promise((resolve) => setTimeout(resolve, faultHoldMs));
        await fault.undo();
        if (fault.name.startsWith('kill'))
          clients[crashVictim - 1] = await cluster.client(crashVictim);
      });
    }, faultIntervalMs);
    const sampleTimer = setInterval(async () => {
      const atMs = performance.now() - startedMs;
      for (const id of nodeIds) {
        const pid = cluster.info(id).pid;
        const sample = pid === undefined ? undefined : await sampleProcess(pid);
        if (sample !== undefined) rssSamples.get(id)!.push({ atMs, rssMb: sample.rssMb });
      }
    }, rssSampleMs);
    load.start(rate);
    for (let window = 1; window * windowMs <= durationMs; window++) {
      await new Promise((resolve) => setTimeout(resolve, windowMs));
      const figures = load.takeWindow();
      const p99 = summarizeLatency(figures.histogram).p99;
      p99s.push(p99);
      const rss = nodeIds
        .map((id) => `${id}:${Math.round(rssSamples.get(id)!.at(-1)?.rssMb ?? 0)}`)
        .join(' ');
      console.log(
        `  window ${window} (${windowMs / 1000} s): ${Math.round(figures.ops / (windowMs / 1000))} ops/s, p99 ${p99} ms, ${figures.errors} failed, RSS MB ${rss}`,
      );
    }
    clearInterval(faultTimer);
    clearInterval(sampleTimer);
    await load.stop();
    await faulting;

    // Every write acknowledged at quorum or all reads back at all, or a later one does.
    let lost = 0;
    const reader = clients[0]!;
    for (const [key, sequence] of load.acked) {
      const read = await reader.get(key, 'all');
      if (Number(read.value) < sequence) lost++;
    }
    // RSS after the first window (warm-up), on the nodes that run throughout.
    const slopes = new Map<number, number>();
    const judgeRss = durationMs - windowMs >= rssFitMsMin;
    for (const id of nodeIds) {
      if (id === crashVictim || !judgeRss) continue;
      slopes.set(id, fitSlopeMbPerMin(rssSamples.get(id)!.filter((s) => s.atMs >= windowMs)));
    }
    const verdict = judgeSoak({
      slopesMbPerMin: slopes,
      firstP99Ms: p99s[0] ?? 0,
      lastP99Ms: p99s.at(-1) ?? 0,
      lostWrites: lost,
    });
    verdict.reasons.push(...faultErrors.map((error) => `fault failed: ${error}`));
    verdict.ok &&= faultErrors.length === 0;
    const slopeText = judgeRss
      ? [...slopes].map(([id, slope]) => `${id}:${slope.toFixed(1)}`).join(' ')
      : `not judged (under ${rssFitMsMin / 1000} s after warm-up)`;
    console.log(
      `soak: ${verdict.ok ? 'PASS' : 'FAIL'}: ${load.acked.size} keys acknowledged at quorum/all, ${lost} lost; RSS slope MB/min after warm-up ${slopeText}; p99 first ${p99s[0]} ms, last ${p99s.at(-1)} ms${verdict.ok ? '' : `; ${verdict.reasons.join('; ')}`}`,
    );
    return verdict.ok;
  } finally {
    await stopAll();
  }
}

main().then(
  (ok) => (process.exitCode = ok ? 0 : 1),
  (error: unknown) => {
    const code = error instanceof QuartetError ? error.code : 'INTERNAL';
    console.error(`soak: ${code}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
