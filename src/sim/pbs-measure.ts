import { createSeededRandom } from '../core/random.js';
import type { CompleteRecord } from '../check/history.js';
import { compareTs } from '../check/context.js';
import type { PbsQuestion } from './pbs-model.js';
import { deriveSeed } from './scenario.js';
import { SimCluster } from './sim-cluster.js';

/**
 * PBS measured: on the simulated cluster (no faults), per t, `trials` times: write a fresh key
 * at the write level through a random node, and t ms after the acknowledgement read it at the
 * read level through a random node. Returns the share of reads that returned the write.
 */
export async function measurePbs(question: PbsQuestion, seed: number): Promise<number[]> {
  const shares: number[] = [];
  for (const [index, t] of question.tMs.entries()) {
    const cluster = new SimCluster({
      config: question.config,
      networkRandom: createSeededRandom(deriveSeed(seed, `pbs-network-${index}`)),
      durable: true,
      record: () => undefined,
    });
    const random = createSeededRandom(deriveSeed(seed, `pbs-clients-${index}`));
    const nodes = [...cluster.nodes.keys()];
    const pick = () => nodes[Math.floor(random() * nodes.length)]!;
    let seen = 0;
    let counted = 0;
    for (let trial = 0; trial < question.trials; trial++) {
      const key = `pbs-${trial}`;
      let written: CompleteRecord | undefined;
      let read: CompleteRecord | undefined;
      const write = { client: 'writer', node: pick(), op: 'update' as const, key, value: 'v' };
      cluster.submit({ ...write, level: question.write }, (record) => {
        written = record;
        if (!record.result.ok) return;
        cluster.queue.after(t * 1000, () => {
          const reader = { client: 'reader', node: pick(), op: 'get' as const, key };
          cluster.submit({ ...reader, level: question.read }, (answer) => (read = answer));
        });
      });
      await cluster.settle();
      if (!written?.result.ok || read === undefined || !read.result.ok) continue;
      counted++;
      if (compareTs(read.ts, written.ts) >= 0) seen++;
    }
    shares.push(counted === 0 ? NaN : seen / counted);
  }
  return shares;
}
