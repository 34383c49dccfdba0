import type { ClusterConfig } from '../config/types.js';
import { sampleDelayMs } from '../core/delay.js';
import { requiredAnswers, type LevelName } from '../core/levels.js';
import { LinkTable } from '../core/links.js';
import type { Random } from '../core/random.js';
import { Ring } from '../core/ring.js';
import { measureRoundTripsMs, selectAnswerMs } from '../core/round-trips.js';
import {
  createLatencyHistogram,
  recordLatencyMs,
  summarizeLatency,
  type LatencyMs,
} from './latency.js';

export interface ModelInput {
  config: ClusterConfig;
  /**
   * How many requests each node coordinated. A closed loop runs more requests through fast
   * coordinators, so the model weights coordinators as the measured requests did.
   */
  coordinatorWeights: ReadonlyMap<number, number>;
  /** Keys in the workload's distribution. */
  nextKey: () => string;
  level: LevelName;
  random: Random;
  samples?: number;
}

export const modelSamplesDefault = 100_000;

/** Whether any server or link has a delay, so the model says more than "zero". */
export function hasDelays(config: ClusterConfig): boolean {
  return (
    config.servers.some((server) => server.delayMsMean > 0) ||
    config.links.some((link) => (link.delayMsMean ?? 0) > 0)
  );
}

/**
 * The latency the delay model alone predicts for a level, by Monte Carlo: per request, each
 * replica's round trip is a sampled delay to it plus a sampled delay back (zero when the
 * coordinator is the replica: it reads and writes locally), and the coordinator answers after
 * the k-th fastest, k being the level's required answers — the k-th order statistic.
 * Loss, partitions and FIFO queueing behind earlier messages are not modelled.
 */
export function modelLatencyMs(input: ModelInput): LatencyMs {
  const { config, nextKey, random, samples = modelSamplesDefault } = input;
  const pickCoordinator = createWeightedPick(input.coordinatorWeights, random);
  const ring = new Ring(
    config.servers.map((server) => server.id),
    config.replicationFactor,
    config.virtualNodes,
  );
  const links = new LinkTable(config);
  const required = requiredAnswers(input.level, config.replicationFactor);
  const histogram = createLatencyHistogram();
  const roundTripsMs: number[] = [];
  const sampleLinkMs = (from: number, to: number) =>
    sampleDelayMs(config.delayDistribution, links.get(from, to).delayMsMean, random);
  for (let i = 0; i < samples; i++) {
    const coordinator = pickCoordinator();
    measureRoundTripsMs(coordinator, ring.replicasFor(nextKey()), sampleLinkMs, roundTripsMs);
    recordLatencyMs(histogram, selectAnswerMs(roundTripsMs, required));
  }
  return summarizeLatency(histogram);
}

function createWeightedPick(weights: ReadonlyMap<number, number>, random: Random): () => number {
  const nodes = [...weights.keys()];
  const cumulative: number[] = [];
  let total = 0;
  for (const node of nodes) cumulative.push((total += weights.get(node) ?? 0));
  if (nodes.length === 0 || total <= 0) throw new RangeError('Expected some coordinator weight.');
  return () => {
    const target = random() * total;
    const index = cumulative.findIndex((bound) => target < bound);
    return nodes[index === -1 ? nodes.length - 1 : index]!;
  };
}
