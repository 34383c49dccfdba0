import type { HistoryRecord, MetaRecord } from '../check/history.js';
import { createSeededRandom } from '../core/random.js';
import type { NodeParts } from '../node/node-parts.js';
import { runFinalPhase } from './final-phase.js';
import { deriveSeed, type Scenario, type ScheduledFault } from './scenario.js';
import { SimCluster } from './sim-cluster.js';
import { startWorkload } from './workload.js';
import { createTraceMeta, type Trace } from '../trace/trace-format.js';

export interface RunOptions {
  /** Replaces parts of every node (the mutation tests use broken ones). */
  parts?: NodeParts;
  /** false: the final phase runs no anti-entropy round, so its dumps judge hinted handoff alone. */
  finalAntiEntropy?: boolean;
  /** The command that replays this run, put in the history's meta record. */
  replay?: string;
  /** Keep the run's trace (docs/trace.md) in SimRun.trace. */
  trace?: boolean;
}

export interface SimRun {
  records: HistoryRecord[];
  /** Virtual time at the end of the run. */
  endMs: number;
  events: number;
  messages: { sent: number; dropped: number };
  repairs: number;
  trace?: Trace;
}

/**
 * Runs one scenario to the end: the workload under its faults, then the final phase (heal,
 * restart, settle, a read of every key at `all`, settle, a dump of every replica).
 */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<SimRun> {
  const records: HistoryRecord[] = [];
  const { config } = scenario;
  const cluster = new SimCluster({
    config,
    networkRandom: createSeededRandom(deriveSeed(scenario.seed, 'network')),
    durable: scenario.durable,
    record: (record) => records.push(record),
    seed: deriveSeed(scenario.seed, 'nodes'),
    ...(options.parts === undefined ? {} : { parts: options.parts }),
    ...(options.trace === true ? { trace: true } : {}),
  });
  const meta: MetaRecord = {
    type: 'meta',
    format: 'quartet-history',
    version: 1,
    source: 'sim',
    nodes: config.servers.map((server) => server.id),
    replicationFactor: config.replicationFactor,
    virtualNodes: config.virtualNodes,
    readRepair: config.readRepair,
    durable: scenario.durable,
    initiallyEmpty: true,
    tombstoneGraceMs: config.tombstoneGraceMs,
    seed: scenario.seed,
  };
  if (options.replay !== undefined) meta.replay = options.replay;
  records.push(meta);
  for (const clock of scenario.clocks) {
    cluster.setClock(clock.node, { skewMs: clock.skewMs, resolutionMs: clock.resolutionMs });
  }
  let nextFault = 0;
  const strike = (issued: number) => {
    const { faults } = scenario;
    while (nextFault < faults.length && faults[nextFault]!.afterOps <= issued) {
      applyFault(cluster, faults[nextFault++]!);
    }
  };
  strike(0);
  startWorkload(
    cluster,
    scenario.workload,
    createSeededRandom(deriveSeed(scenario.seed, 'workload')),
    strike,
  );
  await cluster.settle();
  await runFinalPhase(
    cluster,
    scenario.workload.keys,
    createSeededRandom(deriveSeed(scenario.seed, 'final')),
    options.finalAntiEntropy ?? true,
  );
  const run: SimRun = {
    records,
    endMs: cluster.nowMs,
    events: cluster.queue.eventsRun,
    messages: cluster.network.counters,
    repairs: cluster.repairs,
  };
  if (cluster.simTracer !== undefined) {
    const traceMeta = createTraceMeta({
      source: 'sim',
      nodes: meta.nodes,
      replicationFactor: config.replicationFactor,
      seed: scenario.seed,
    });
    run.trace = { meta: traceMeta, events: cluster.simTracer.finish() };
  }
  return run;
}

function applyFault(cluster: SimCluster, fault: ScheduledFault): void {
  switch (fault.kind) {
    case 'crash':
      cluster.crash(fault.node);
      break;
    case 'restart':
      cluster.restart(fault.node);
      break;
    case 'partition':
      cluster.partition(fault.groups);
      break;
    case 'heal':
      cluster.heal();
      break;
    case 'loss':
      cluster.setLoss(fault.from, fault.to, fault.lossRate);
      break;
    case 'repair':
      cluster.repair(fault.node);
      break;
  }
}
