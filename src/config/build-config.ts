// Turns a raw config (parsed JSON or config.py) into a ClusterConfig: shape first, then the checks
// that need the whole config, then defaults.
import { requiredAnswers, type LevelName } from '../core/levels.js';
import { configDefaults } from './config-defaults.js';
import { badConfig, showValue } from './config-errors.js';
import {
  durationKeys,
  parseRawConfig,
  type DurationMsKey,
  type RawConfig,
} from './config-schema.js';
import { deriveMaxClockOffsetMs } from './clock-offset.js';
import { resolveDelays, resolveLinks } from './delays.js';
import { parseDurationField, type BareUnit } from './durations.js';
import { resolveLiveness, type GivenDuration } from './liveness.js';
import { checkNestingDepth } from './nesting.js';
import { resolveRequestTimeout } from './request-timeout.js';
import { checkDistinctAddresses, parseServerEntry } from './servers.js';
import type { ClusterConfig, ServerConfig } from './types.js';

export function buildConfig(raw: unknown, delayUnit: BareUnit): ClusterConfig {
  checkNestingDepth(raw);
  const input = parseRawConfig(raw);
  const addresses = input.servers.map((entry, index) => parseServerEntry(entry, index));
  checkDistinctAddresses(addresses);
  const delays = resolveDelays(input.delays ?? {}, addresses, delayUnit);
  const servers: ServerConfig[] = addresses.map((address, index) => ({
    id: index + 1,
    ...address,
    delayMsMean: delays.get(index + 1) ?? 0,
  }));
  const delayDistribution = input.delayDistribution ?? configDefaults.delayDistribution;
  const replicationFactor = resolveReplicationFactor(input.replicationFactor, servers.length);
  const defaultLevel = input.defaultLevel ?? configDefaults.defaultLevel;
  checkLevelFits(defaultLevel, replicationFactor);
  const links = resolveLinks(input.links ?? [], addresses, delayUnit);
  const liveness = resolveLiveness(
    {
      heartbeatInterval: readPositiveDuration(input, 'heartbeatIntervalMs'),
      suspectAfter: readDuration(input, 'suspectAfterMs'),
      downAfter: readDuration(input, 'downAfterMs'),
    },
    { servers, links, delayDistribution },
  );
  const readRepair = input.readRepair ?? configDefaults.readRepair;
  const requestTimeout = resolveRequestTimeout(readPositiveDuration(input, 'requestTimeoutMs'), {
    servers,
    links,
    delayDistribution,
    readRepair,
  });
  return {
    servers,
    delayDistribution,
    fifo: input.fifo ?? configDefaults.fifo,
    links,
    replicationFactor,
    defaultLevel,
    readRepair,
    ...requestTimeout,
    tombstoneGraceMs:
      readDuration(input, 'tombstoneGraceMs')?.ms ?? configDefaults.tombstoneGraceMs,
    virtualNodes: input.virtualNodes ?? configDefaults.virtualNodes,
    keyBytesMax: input.keyBytesMax ?? configDefaults.keyBytesMax,
    valueBytesMax: input.valueBytesMax ?? configDefaults.valueBytesMax,
    durability: input.durability ?? configDefaults.durability,
    maxHintWindowMs: readDuration(input, 'maxHintWindowMs')?.ms ?? configDefaults.maxHintWindowMs,
    ...liveness,
    antiEntropyIntervalMs:
      readDuration(input, 'antiEntropyIntervalMs')?.ms ?? configDefaults.antiEntropyIntervalMs,
    maxClockOffsetMs:
      readDuration(input, 'maxClockOffsetMs')?.ms ??
      deriveMaxClockOffsetMs({ servers, links, delayDistribution }),
  };
}

function resolveReplicationFactor(value: number | undefined, serverCount: number): number {
  if (value === undefined) return Math.min(configDefaults.replicationFactorMax, serverCount);
  if (value > serverCount) {
    throw badConfig(
      `Expected \`replicationFactor\` to be at most the number of servers (${serverCount}), got ${value}.`,
    );
  }
  return value;
}

function checkLevelFits(level: LevelName, replicationFactor: number): void {
  try {
    requiredAnswers(level, replicationFactor);
  } catch {
    throw badConfig(
      `Expected \`defaultLevel\` to need at most \`replicationFactor\` (${replicationFactor}) answers, got "${level}"; use one, quorum or all.`,
    );
  }
}

// A setting given either as `<name>Ms` (a number) or `<name>` (a duration); bare numbers are ms.
function readDuration(input: RawConfig, msKey: DurationMsKey): GivenDuration | undefined {
  const durationKey = durationKeys[msKey];
  const duration = input[durationKey];
  const ms = input[msKey];
  if (duration === undefined) return ms === undefined ? undefined : { key: msKey, raw: ms, ms };
  if (ms !== undefined) {
    throw badConfig(`Give either \`${msKey}\` or \`${durationKey}\`, not both.`);
  }
  return {
    key: durationKey,
    raw: duration,
    ms: parseDurationField(duration, 'ms', `\`${durationKey}\``),
  };
}

// The schema keeps `<name>Ms` above 0; a duration such as "0s" is checked here.
function readPositiveDuration(input: RawConfig, msKey: DurationMsKey): GivenDuration | undefined {
  const given = readDuration(input, msKey);
  if (given?.ms === 0) {
    throw badConfig(`Expected \`${given.key}\` to be more than 0, got ${showValue(given.raw)}.`);
  }
  return given;
}
