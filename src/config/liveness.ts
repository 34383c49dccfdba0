// Heartbeat, suspect and down thresholds: defaults derived from the delays, and their ordering.
import { configDefaults } from './config-defaults.js';
import { badConfig, showValue } from './config-errors.js';
import { durationMsMax, formatDurationMs } from './durations.js';
import { measureDelayMsPracticalMax, type DelaySettings } from './delay-bounds.js';
import type { ClusterConfig } from './types.js';

/** A duration setting as the user gave it: the key used, the value written and it in ms. */
export interface GivenDuration {
  key: string;
  raw: unknown;
  ms: number;
}

export interface LivenessSettings {
  heartbeatInterval?: GivenDuration | undefined;
  suspectAfter?: GivenDuration | undefined;
  downAfter?: GivenDuration | undefined;
}

type LivenessTimings = Pick<
  ClusterConfig,
  'heartbeatIntervalMs' | 'suspectAfterMs' | 'downAfterMs'
>;

// suspectAfterMs = suspectHeartbeats·heartbeatIntervalMs + suspectDelayMaxes·(practical max delay);
// downAfterMs = downSuspects·suspectAfterMs.
export const livenessFactors = {
  suspectHeartbeats: 4,
  suspectDelayMaxes: 2,
  downSuspects: 2,
} as const;

// A suspect threshold no slow but healthy link crosses: missed heartbeats plus the slowest delays.
export function deriveSuspectAfterMs(delays: DelaySettings, heartbeatIntervalMs: number): number {
  const delayMsPracticalMax = measureDelayMsPracticalMax(delays);
  const { suspectHeartbeats, suspectDelayMaxes } = livenessFactors;
  return Math.ceil(
    suspectHeartbeats * heartbeatIntervalMs + suspectDelayMaxes * delayMsPracticalMax,
  );
}

export function resolveLiveness(given: LivenessSettings, delays: DelaySettings): LivenessTimings {
  const { suspectHeartbeats, suspectDelayMaxes, downSuspects } = livenessFactors;
  const heartbeat = given.heartbeatInterval ?? {
    key: 'heartbeatIntervalMs',
    raw: undefined,
    ms: configDefaults.heartbeatIntervalMs,
  };
  const suspect = given.suspectAfter ?? {
    key: 'suspectAfterMs',
    raw: undefined,
    ms: deriveSuspectAfterMs(delays, heartbeat.ms),
  };
  const down = given.downAfter ?? {
    key: 'downAfterMs',
    raw: undefined,
    ms: downSuspects * suspect.ms,
  };
  checkDerivedFits(
    suspect,
    `${suspectHeartbeats}·\`${heartbeat.key}\` + ${suspectDelayMaxes}·the slowest practical delay`,
  );
  checkDerivedFits(down, `${downSuspects}·\`${suspect.key}\``);
  checkLonger(suspect, heartbeat, 'a peer would turn suspect between two heartbeats');
  checkLonger(down, suspect, 'a peer would be down before it was ever suspect');
  return { heartbeatIntervalMs: heartbeat.ms, suspectAfterMs: suspect.ms, downAfterMs: down.ms };
}

function checkLonger(longer: GivenDuration, shorter: GivenDuration, why: string): void {
  if (longer.ms > shorter.ms) return;
  const lowerShorter =
    shorter.raw === undefined ? `set \`${shorter.key}\` below it` : `lower \`${shorter.key}\``;
  throw badConfig(
    `Expected \`${longer.key}\` to be more than \`${shorter.key}\` (${describeSetting(shorter)}), got ${showValue(longer.raw)}; ${why}: raise \`${longer.key}\`, ${lowerShorter} or leave \`${longer.key}\` out to derive it.`,
  );
}

// A derived default past the longest timer: the delays or the heartbeat are too long to derive from.
export function checkDerivedFits(setting: GivenDuration, derivation: string): void {
  if (setting.raw !== undefined || setting.ms <= durationMsMax) return;
  throw badConfig(
    `\`${setting.key}\` would default to ${formatDurationMs(setting.ms)} (${derivation}), past the longest timer Node can hold (${formatDurationMs(durationMsMax)}); set \`${setting.key}\` yourself.`,
  );
}

function describeSetting(setting: GivenDuration): string {
  if (setting.raw !== undefined) return showValue(setting.raw);
  if (setting.key === 'heartbeatIntervalMs') return `${setting.ms}, the default`;
  return `${setting.ms}, derived from the heartbeat and the delays`;
}
