import type { Random } from '../core/random.js';
import type { SimCluster } from './sim-cluster.js';
import { keyName } from './workload.js';

const finalReadAttemptsMax = 3;

/**
 * Ends a run so the checker can judge it: heals every partition and lossy link, restarts every
 * crashed node, lets everything in flight land, marks the history quiet, reads every key at
 * `all` (one read at a time; their read repair runs), lets the repairs land, dumps every replica.
 */
export function runFinalPhase(cluster: SimCluster, keys: number, random: Random): void {
  cluster.heal();
  cluster.clearLoss();
  for (const node of cluster.nodes.values()) if (!node.up) cluster.restart(node.id);
  cluster.queue.drain();
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
  cluster.queue.drain();

  for (const node of cluster.nodes.values()) {
    const entries = [...node.store.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, version]) => ({ key, value: version.value, ts: version.ts }));
    cluster.recordDump(node.id, entries);
  }
}
