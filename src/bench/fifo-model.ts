import type { ClusterConfig } from '../config/types.js';
import { sampleDelayMs } from '../core/delay.js';
import { requiredAnswers, type LevelName } from '../core/levels.js';
import { LinkTable } from '../core/links.js';
import type { Random } from '../core/random.js';
import { Ring } from '../core/ring.js';
import { EventQueue } from '../core/event-queue.js';
import {
  createLatencyHistogram,
  recordLatencyMs,
  summarizeLatency,
  type LatencyMs,
} from './latency.js';
import type { Levels } from './workload.js';

export interface FifoModelInput {
  config: ClusterConfig;
  /** The node each request slot sends to: slot i uses the i-th entry. */
  slotCoordinators: readonly number[];
  levels: Levels;
  /** The share of reads; the rest are updates. */
  readShare: number;
  nextKey: () => string;
  random: Random;
  /** Operations to simulate over all slots. */
  ops?: number;
}

export const fifoModelOpsDefault = 100_000;

/**
 * The latency the delay model predicts on FIFO links, by simulating the bench's closed loop with
 * no processing time: each slot sends its next request when the previous one is answered; every
 * message on a link is delivered at its sampled delay or just after the message before it on
 * that link, whichever is later; replicas answer on arrival; heartbeats go every
 * `heartbeatIntervalMs` on every link. What a message waits behind (the third replica's request
 * of a `quorum` read, a heartbeat) is what the order statistics alone leave out. Read repairs,
 * loss and partitions are not modelled. Latency per "op level" label, as the bench keeps them.
 */
export function modelFifoLatencyMs(input: FifoModelInput): Map<string, LatencyMs> {
  const { config, random, levels, readShare, nextKey } = input;
  const opsMax = input.ops ?? fifoModelOpsDefault;
  const ring = new Ring(
    config.servers.map((server) => server.id),
    config.replicationFactor,
    config.virtualNodes,
  );
  const links = new LinkTable(config);
  const lastDeliveryMs = new Map<string, number>();
  const histograms = new Map<string, ReturnType<typeof createLatencyHistogram>>();
  // The simulator's event queue (ties break in the order events were made, so a run is the
  // same for a seed); each event is told the time it runs at.
  const events = new EventQueue();
  const queue = {
    push: (atMs: number, run: (atMs: number) => void) =>
      events.at(atMs * 1000, () => run(events.nowUs / 1000)),
  };
  let started = 0;

  // A message on from -> to sent at `atMs`; `then` runs when it is delivered.
  const send = (from: number, to: number, atMs: number, then: (atMs: number) => void) => {
    const link = `${from}->${to}`;
    const delayMs = sampleDelayMs(
      config.delayDistribution,
      links.get(from, to).delayMsMean,
      random,
    );
    const deliveredMs = Math.max(atMs + delayMs, lastDeliveryMs.get(link) ?? 0);
    lastDeliveryMs.set(link, deliveredMs);
    queue.push(deliveredMs, then);
  };

  const startOp = (coordinator: number, atMs: number) => {
    if (started >= opsMax) return;
    started++;
    const read = random() < readShare;
    const level: LevelName = read ? levels.read : levels.write;
    const label = `${read ? 'read' : 'update'} ${level}`;
    const required = requiredAnswers(level, config.replicationFactor);
    let answers = 0;
    const answer = (answeredMs: number) => {
      answers++;
      if (answers !== required) return;
      let histogram = histograms.get(label);
      if (histogram === undefined) histograms.set(label, (histogram = createLatencyHistogram()));
      recordLatencyMs(histogram, answeredMs - atMs);
      queue.push(answeredMs, (nextMs) => startOp(coordinator, nextMs));
    };
    for (const replica of ring.replicasFor(nextKey())) {
      if (replica === coordinator) {
        queue.push(atMs, answer);
        continue;
      }
      // Sent in the order of the simulation's clock: the queue runs each send at its own time.
      queue.push(atMs, (sentMs) =>
        send(coordinator, replica, sentMs, (arrivedMs) =>
          send(replica, coordinator, arrivedMs, answer),
        ),
      );
    }
  };

  const heartbeat = (from: number, to: number, atMs: number) => {
    if (started >= opsMax) return;
    send(from, to, atMs, () => {});
    queue.push(atMs + config.heartbeatIntervalMs, (nextMs) => heartbeat(from, to, nextMs));
  };

  for (const from of config.servers) {
    for (const to of config.servers) {
      if (from.id === to.id) continue;
      const phaseMs = random() * config.heartbeatIntervalMs;
      queue.push(phaseMs, (atMs) => heartbeat(from.id, to.id, atMs));
    }
  }
  for (const coordinator of input.slotCoordinators)
    queue.push(0, (atMs) => startOp(coordinator, atMs));
  while (events.step());

  const figures = new Map<string, LatencyMs>();
  for (const [label, histogram] of histograms) figures.set(label, summarizeLatency(histogram));
  return figures;
}
