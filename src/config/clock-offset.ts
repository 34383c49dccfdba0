// The bound on clock offset: how far ahead of a node's clock a version may be stamped.
import { configDefaults } from './config-defaults.js';
import { delayPracticalMaxPerMean } from './liveness.js';
import type { ClusterConfig } from './types.js';

type DelaySettings = Pick<ClusterConfig, 'servers' | 'links' | 'delayDistribution'>;

/**
 * `maxClockOffsetMs` unless set: a base for real clocks (CockroachDB's 500 ms) plus a round trip
 * at the slowest practical delay, so that a skew longer than a write's round trip, the skew under
 * which last write wins drops acknowledged writes, can be studied without being refused.
 */
export function deriveMaxClockOffsetMs(delays: DelaySettings): number {
  const delayMsMeanMax = Math.max(
    0,
    ...delays.servers.map((server) => server.delayMsMean),
    ...delays.links.map((link) => link.delayMsMean ?? 0),
  );
  const roundTripMs = 2 * delayMsMeanMax * delayPracticalMaxPerMean[delays.delayDistribution];
  return Math.ceil(configDefaults.maxClockOffsetMsBase + roundTripMs);
}
