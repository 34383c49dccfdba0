import type { Random } from '../core/random.js';
import type { SimCluster } from './sim-cluster.js';
import { keyName } from './workload.js';

const finalReadAttemptsMax = 3;
/** Hint batches a replay may need in the final phase (a run holds few hints). */
const hintBatchesMax = 4;

/**
 * Ends a run so the checker can judge it: heals every partition and lossy link, restarts every
 * crashed node, waits until every failure detector sees its peers again and the hints are
 * replayed, runs one anti-entropy round (each pair of nodes once, one after another), dumps
 * every replica (what recovery alone achieved), marks the history quiet, reads every key at
 * `all` (one read at a time; their read repair runs), lets the repairs land, dumps again.
 */
export async function runFinalPhase(
  cluster: SimCluster,
  keys: number,
  random: Random,
  antiEntropy = true,
): Promise<void> {
  cluster.heal();
  cluster.clearLoss();
  for (const node of cluster.nodes.values()) if (!node.up) cluster.restart(node.id);
  const { config } = cluster;
  const delayMsMax = Math.max(0, ...config.servers.map((s) => s.delayMsMean));
  // Reconnected, then heard within two heartbeats; the heartbeat after that replays the hints.
  const heardMs = 3 * config.heartbeatIntervalMs + 10 * delayMsMax;
  // Replays a heartbeat started are background work: wait for them, within the time their
  // requests may take before they time out.
  const requestMsMax = Math.max(config.requestTimeoutMs, config.downAfterMs);
  const recoveredMs = Math.max(cluster.nowMs, cluster.reconnectedByMs) + heardMs;
  await cluster.settle(recoveredMs, hintBatchesMax * requestMsMax);
  // Each pair of nodes once, started by the lower id: two-way exchanges converge them all.
  const ids = [...cluster.nodes.keys()].sort((a, b) => a - b);
  for (const id of antiEntropy ? ids : []) {
    const higher = ids.filter((peer) => peer > id);
    if (higher.length === 0) continue;
    cluster.track(cluster.nodes.get(id)!.services.repair(higher));
    await cluster.settle();
  }
  dumpAll(cluster, 'repaired');
  cluster.recordQuiet();

  const nodes = [...cluster.nodes.keys()];
  let index = 0;
  let attempts = 0;
  const readNext = () => {
    if (index >= keys) return;
    const key = keyName(index);
    const node = nodes[Math.floor(random() * nodes.length)]!;
    attempts++;
    cluster.submit({ client: 'final', node, op: 'get', key, level: 'all' }, (record) => {
      if (!record.result.ok && attempts < finalReadAttemptsMax) {
        readNext();
        return;
      }
      index++;
      attempts = 0;
      readNext();
    });
  };
  readNext();
  await cluster.settle();
  dumpAll(cluster, 'final');
}

function dumpAll(cluster: SimCluster, phase: 'repaired' | 'final'): void {
  for (const node of cluster.nodes.values()) {
    const entries = [...node.store.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, version]) => ({ key, value: version.value, ts: version.ts }));
    cluster.recordDump(node.id, entries, phase);
  }
}
