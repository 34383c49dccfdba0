import { QuartetClient } from '../client/client.js';
import { HttpClient } from '../client/http-client.js';
import { assert } from '../core/assert.js';
import type { BenchClient } from './driver.js';
import { QuartetError } from '../core/errors.js';
import { onStopSignal } from '../launcher/stop-on-signal.js';
import { createSeededRandom } from '../core/random.js';
import { assembleResult } from './assemble.js';
import { startBenchCluster, type BenchCluster } from './bench-cluster.js';
import type { DriveResult } from './driver.js';
import { describeNodes, sampleNodes } from './node-figures.js';
import type { BenchOptions } from './options.js';
import { runSteps } from './progress.js';
import type { BenchResult } from './result.js';
import { createLoadStep, createPhaseStep, type RunTally } from './steps.js';
import { createValuePool } from './workload.js';

/** Starts a cluster, loads it, runs each phase, and stops every node on every path. */
export async function measureBench(options: BenchOptions): Promise<BenchResult> {
  const startedAt = new Date();
  let bench: BenchCluster | undefined;
  let dispose = () => Promise.resolve();
  // A signal disposes of the cluster, then exits 128 + its number (stop-on-signal).
  const unregister = onStopSignal(() => dispose());
  let measured = false;
  try {
    bench = await startBenchCluster(options, (disposeCluster) => (dispose = disposeCluster));
    const result = await measureOn(bench, options, startedAt);
    if (bench.exited.length > 0) {
      const nodes = bench.exited.map((id) => `node ${id}`).join(', ');
      throw new QuartetError(
        'NODE_UNREACHABLE',
        `${nodes} exited during the bench (out of memory?); the figures are not valid.`,
      );
    }
    measured = true;
    return result;
  } finally {
    if (measured) await bench?.dispose();
    else if (bench !== undefined) {
      await bench.stop();
      process.stderr.write(`The nodes' logs are kept in ${bench.dir}/logs.\n`);
    }
    unregister();
  }
}

async function measureOn(
  bench: BenchCluster,
  options: BenchOptions,
  startedAt: Date,
): Promise<BenchResult> {
  const { cluster } = bench;
  const ids = cluster.nodeIds;
  const clientCount = options.clients ?? Math.min(options.inflight, ids.length);
  const clients: BenchClient[] = await Promise.all(
    Array.from({ length: clientCount }, (_, index) => {
      const nodeId = ids[index % ids.length]!;
      const { host, port } = cluster.info(nodeId);
      if (!options.http) return QuartetClient.connect({ host, port });
      const httpPort = bench.config.servers.find((server) => server.id === nodeId)?.httpPort;
      assert(httpPort !== undefined, `node ${nodeId} of an --http bench has an httpPort`);
      return new HttpClient({ host, port: httpPort, nodeId });
    }),
  );
  try {
    const random = createSeededRandom(options.seed);
    const context = {
      options,
      clients,
      random,
      nextValue: createValuePool(options.valueBytes, random),
    };
    const started = await sampleNodes(cluster);
    let loaded = started;
    let load: DriveResult | undefined;
    let runStartedMs = 0;
    let clientCpuAtRun = process.cpuUsage();
    const loadStep = createLoadStep(context, async (result) => {
      load = result;
      loaded = await sampleNodes(cluster);
      runStartedMs = performance.now();
      clientCpuAtRun = process.cpuUsage();
    });
    const tally: RunTally = { runs: [], opsWithWarmup: 0 };
    const phaseSteps = options.phases.map((levels) => createPhaseStep(context, levels, tally));
    await runSteps([loadStep, ...phaseSteps], { quiet: options.quiet });

    const runWallMs = performance.now() - runStartedMs;
    const clientCpu = process.cpuUsage(clientCpuAtRun);
    const finished = await sampleNodes(cluster);
    const nodes = await describeNodes(cluster, { started, loaded, finished, runWallMs });
    return assembleResult({
      options,
      startedAt,
      bench,
      clientCount,
      load: load!,
      tally,
      nodes,
      runWallMs,
      clientCpuMs: Math.round((clientCpu.user + clientCpu.system) / 1000),
    });
  } finally {
    for (const client of clients) client.close();
  }
}
