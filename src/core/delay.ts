import type { Random } from './random.js';

export type DelayDistribution = 'uniform' | 'fixed' | 'exponential';

/** Settings of one one-way link from a node to another. */
export interface LinkSettings {
  delayMsMean: number;
  lossRate: number;
  /** Cut by a partition: every message is dropped. */
  blocked: boolean;
}

/** One sample of a link's delay: uniform over [0, 2·mean], fixed, or exponential with that mean. */
export function sampleDelayMs(
  distribution: DelayDistribution,
  meanMs: number,
  random: Random,
): number {
  if (meanMs <= 0) return 0;
  switch (distribution) {
    case 'fixed':
      return meanMs;
    case 'uniform':
      return random() * 2 * meanMs;
    case 'exponential':
      return -Math.log(1 - random()) * meanMs;
  }
}

/** Whether a message on this link is lost (partition or random loss). */
export function isDropped(link: LinkSettings, random: Random): boolean {
  if (link.blocked) return true;
  return link.lossRate > 0 && random() < link.lossRate;
}
