// Per-server delays and the per-link overrides of delay and loss on top of them.
import { badConfig, showValue } from './config-errors.js';
import type { RawLink } from './config-schema.js';
import { parseDurationField, type BareUnit } from './durations.js';
import { findServerId, type Address } from './servers.js';
import type { LinkConfig } from './types.js';

// Server id -> mean one-way delay (ms) of messages delivered to it.
export function resolveDelays(
  delays: Record<string, unknown>,
  addresses: Address[],
  delayUnit: BareUnit,
): Map<number, number> {
  const resolved = new Map<number, number>();
  const keyFor = new Map<number, string>();
  for (const [key, value] of Object.entries(delays)) {
    const id = findServerId(key, addresses);
    if (id === undefined) {
      throw badConfig(
        `Expected each key of \`delays\` to be the address or id (1-${addresses.length}) of a server in \`servers\`, got ${showValue(key)}.`,
      );
    }
    const earlier = keyFor.get(id);
    if (earlier !== undefined) {
      throw badConfig(
        `\`delays\` gives server ${id} a delay twice (as ${showValue(earlier)} and ${showValue(key)}); keep one.`,
      );
    }
    keyFor.set(id, key);
    resolved.set(id, parseDurationField(value, delayUnit, `\`delays[${JSON.stringify(key)}]\``));
  }
  return resolved;
}

export function resolveLinks(
  links: RawLink[],
  addresses: Address[],
  delayUnit: BareUnit,
): LinkConfig[] {
  const seen = new Map<string, number>();
  return links.map((link, index) => {
    const field = `links[${index}]`;
    const from = resolveLinkEnd(link.from, addresses, `${field}.from`);
    const to = resolveLinkEnd(link.to, addresses, `${field}.to`);
    if (from === to) {
      throw badConfig(
        `Expected \`${field}\` to join two different servers, got from = to = ${from}.`,
      );
    }
    const pair = `${from} -> ${to}`;
    const earlier = seen.get(pair);
    if (earlier !== undefined) {
      throw badConfig(
        `\`${field}\` repeats the link ${pair} of \`links[${earlier}]\`; merge them.`,
      );
    }
    seen.set(pair, index);
    if (link.delay === undefined && link.loss === undefined) {
      throw badConfig(`Expected \`${field}\` to set \`delay\`, \`loss\` or both.`);
    }
    const result: LinkConfig = { from, to };
    if (link.delay !== undefined) {
      result.delayMsMean = parseDurationField(link.delay, delayUnit, `\`${field}.delay\``);
    }
    if (link.loss !== undefined) result.lossRate = parseLossRate(link.loss, `${field}.loss`);
    return result;
  });
}

function resolveLinkEnd(ref: unknown, addresses: Address[], field: string): number {
  const id =
    typeof ref === 'number' || typeof ref === 'string'
      ? findServerId(String(ref), addresses)
      : undefined;
  if (id === undefined) {
    throw badConfig(
      `Expected \`${field}\` to be the id (1-${addresses.length}) or address of a server in \`servers\`, got ${showValue(ref)}.`,
    );
  }
  return id;
}

function parseLossRate(value: unknown, field: string): number {
  const percent = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value) : null;
  const rate = percent?.[1] !== undefined ? Number(percent[1]) / 100 : value;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw badConfig(
      `Expected \`${field}\` to be a fraction from 0 to 1 or a percentage from "0%" to "100%", got ${showValue(value)}.`,
    );
  }
  return rate;
}
