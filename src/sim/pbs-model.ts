import type { ClusterConfig } from '../config/types.js';
import { isDropped, sampleDelayMs } from '../core/delay.js';
import type { LevelName } from '../core/levels.js';
import { LinkTable } from '../core/links.js';
import type { Random } from '../core/random.js';
import { Ring } from '../core/ring.js';
import { answersFor } from '../check/levels.js';

export interface PbsQuestion {
  config: ClusterConfig;
  write: LevelName;
  read: LevelName;
  /** Times after the write's acknowledgement at which the read is issued. */
  tMs: readonly number[];
  trials: number;
}

/**
 * The WARS model of Bailis et al. (PBS, VLDB 2012) by Monte Carlo over the config's delays: per
 * replica a write delay W, ack delay A, read delay R and response delay S. The write commits at
 * the W-th fastest W+A; a read issued t later sees it iff one of its R fastest responders (by
 * R+S) got the write before the read request (W ≤ commit + t + R). Returns, per t, the
 * probability that the read returns the write, among trials where both succeed.
 */
export function predictPbs(question: PbsQuestion, random: Random): number[] {
  const { config, trials, tMs } = question;
  const links = new LinkTable(config);
  const nodes = config.servers.map((server) => server.id);
  const ring = new Ring(nodes, config.replicationFactor, config.virtualNodes);
  const writeNeeds = answersFor(question.write, config.replicationFactor);
  const readNeeds = answersFor(question.read, config.replicationFactor);
  const delay = (from: number, to: number): number => {
    if (from === to) return 0;
    const link = links.get(from, to);
    if (isDropped(link, random)) return Infinity;
    return sampleDelayMs(config.delayDistribution, link.delayMsMean, random);
  };
  const pick = () => nodes[Math.floor(random() * nodes.length)]!;
  const seen = tMs.map(() => 0);
  let counted = 0;
  for (let trial = 0; trial < trials; trial++) {
    const replicas = ring.replicasFor(`pbs-${trial}`);
    const writer = pick();
    const reader = pick();
    const w = replicas.map((r) => delay(writer, r));
    const a = replicas.map((r) => delay(r, writer));
    const r = replicas.map((rep) => delay(reader, rep));
    const s = replicas.map((rep) => delay(rep, reader));
    const commitMs = kthSmallest(
      w.map((wi, i) => wi + a[i]!),
      writeNeeds,
    );
    const responders = replicas
      .map((_, i) => i)
      .filter((i) => Number.isFinite(r[i]! + s[i]!))
      .sort((x, y) => r[x]! + s[x]! - (r[y]! + s[y]!))
      .slice(0, readNeeds);
    if (!Number.isFinite(commitMs) || responders.length < readNeeds) continue;
    counted++;
    tMs.forEach((t, index) => {
      if (responders.some((i) => w[i]! <= commitMs + t + r[i]!)) seen[index]!++;
    });
  }
  return seen.map((n) => (counted === 0 ? NaN : n / counted));
}

function kthSmallest(values: number[], k: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[k - 1] ?? Infinity;
}
