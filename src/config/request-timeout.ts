// requestTimeoutMs: as given, or derived from the delays so a healthy round trip at `all` over the
// slowest link never times out (the original waited for every replica, however slow).
import { configDefaults } from './config-defaults.js';
import { measureRoundTripMsPracticalMax, type DelaySettings } from './delay-bounds.js';
import { checkDerivedFits, type GivenDuration } from './liveness.js';
import type { ClusterConfig, ReadRepairMode } from './types.js';

type RequestTimeoutSettings = DelaySettings & { readRepair: ReadRepairMode };
type RequestTimeout = Pick<ClusterConfig, 'requestTimeoutMs' | 'requestTimeoutSource'>;

// derived = max(floor, ceil(headroom · round trips · the slowest practical round trip)); a
// blocking read repair makes a second round trip (repair and its ack) before the reply.
export const requestTimeoutFactors = {
  headroom: 1.25,
  blockingReadRepairRoundTrips: 2,
  /** Never below the fixed default: short delays keep the timeout users know. */
  floorMs: configDefaults.requestTimeoutMs,
} as const;

export function deriveRequestTimeoutMs(settings: RequestTimeoutSettings): number {
  const { headroom, blockingReadRepairRoundTrips, floorMs } = requestTimeoutFactors;
  const roundTrips = settings.readRepair === 'blocking' ? blockingReadRepairRoundTrips : 1;
  const roundTripMs = measureRoundTripMsPracticalMax(settings);
  return Math.max(floorMs, Math.ceil(headroom * roundTrips * roundTripMs));
}

export function resolveRequestTimeout(
  given: GivenDuration | undefined,
  settings: RequestTimeoutSettings,
): RequestTimeout {
  if (given !== undefined) return { requestTimeoutMs: given.ms, requestTimeoutSource: 'config' };
  const derived = deriveRequestTimeoutMs(settings);
  const { headroom } = requestTimeoutFactors;
  checkDerivedFits(
    { key: 'requestTimeoutMs', raw: undefined, ms: derived },
    `${headroom}·the slowest practical round trip`,
  );
  return { requestTimeoutMs: derived, requestTimeoutSource: 'derived' };
}

/** The config with another read repair mode; a derived timeout is derived again for it. */
export function withReadRepair(config: ClusterConfig, readRepair: ReadRepairMode): ClusterConfig {
  const changed = { ...config, readRepair };
  if (config.requestTimeoutSource === 'config') return changed;
  return { ...changed, requestTimeoutMs: deriveRequestTimeoutMs(changed) };
}

/** "requestTimeoutMs derived from the delays: 55000 ms ...", or nothing when it is the default. */
export function describeRequestTimeout(config: ClusterConfig): string | undefined {
  if (config.requestTimeoutSource !== 'derived') return undefined;
  if (config.requestTimeoutMs === configDefaults.requestTimeoutMs) return undefined;
  return `requestTimeoutMs derived from the delays: ${config.requestTimeoutMs} ms (set it in the config to choose another)`;
}
