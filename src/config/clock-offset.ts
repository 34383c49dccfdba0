// The bound on clock offset: how far ahead of a node's clock a version may be stamped.
import { configDefaults } from './config-defaults.js';
import { measureDelayMsPracticalMax, type DelaySettings } from './delay-bounds.js';

/**
 * `maxClockOffsetMs` unless set: a base for real clocks (CockroachDB's 500 ms) plus a round trip
 * at the slowest practical delay, so that a skew longer than a write's round trip, the skew under
 * which last write wins drops acknowledged writes, can be studied without being refused.
 */
export function deriveMaxClockOffsetMs(delays: DelaySettings): number {
  return Math.ceil(configDefaults.maxClockOffsetMsBase + 2 * measureDelayMsPracticalMax(delays));
}
