// The slowest practical delays of a config: one way, and out and back between two servers. The
// derived liveness thresholds and the derived request timeout both start from these.
import type { ClusterConfig, DelayDistribution } from './types.js';

export type DelaySettings = Pick<ClusterConfig, 'servers' | 'links' | 'delayDistribution'>;

// The longest a message is practically delayed, in means: uniform stops at 2·mean, fixed is the
// mean, and exponential passes 5·mean less than 1% of the time (e^-5).
export const delayPracticalMaxPerMean = {
  uniform: 2,
  fixed: 1,
  exponential: 5,
} as const satisfies Record<DelayDistribution, number>;

/** The largest delay mean or link delay, times the distribution's practical max per mean. */
export function measureDelayMsPracticalMax(delays: DelaySettings): number {
  const delayMsMeanMax = Math.max(
    0,
    ...delays.servers.map((server) => server.delayMsMean),
    ...delays.links.map((link) => link.delayMsMean ?? 0),
  );
  return delayMsMeanMax * delayPracticalMaxPerMean[delays.delayDistribution];
}

/**
 * The slowest practical round trip between two servers: a request from A delivered to B, and the
 * answer from B delivered to A, each at its link's practical max (a link override, else the mean
 * of the server it is delivered to). FIFO links keep within it: a message waits only behind one
 * sent earlier, which is itself delivered within its own practical max.
 */
export function measureRoundTripMsPracticalMax(delays: DelaySettings): number {
  const perMean = delayPracticalMaxPerMean[delays.delayDistribution];
  const linkMeans = new Map(
    delays.links.map((link) => [`${link.from}>${link.to}`, link.delayMsMean]),
  );
  const meanOf = (from: number, to: number, toMean: number) =>
    linkMeans.get(`${from}>${to}`) ?? toMean;
  let roundTripMsMax = 0;
  for (const a of delays.servers) {
    for (const b of delays.servers) {
      if (b.id <= a.id) continue;
      const out = meanOf(a.id, b.id, b.delayMsMean);
      const back = meanOf(b.id, a.id, a.delayMsMean);
      roundTripMsMax = Math.max(roundTripMsMax, (out + back) * perMean);
    }
  }
  return roundTripMsMax;
}
