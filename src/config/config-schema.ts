// The shape of a raw config (before servers are resolved) and a one-line message per zod issue.
import { z, type ZodErrorMap } from 'zod';
import { levelNames } from '../core/levels.js';
import { configBounds } from './config-defaults.js';
import { badConfig, isPlainObject, showValue, suggestKey } from './config-errors.js';
import { durationMsMax } from './durations.js';

// Settings given either as `<name>Ms` (a number of ms) or as `<name>` (a duration such as "5s").
export const durationKeys = {
  requestTimeoutMs: 'requestTimeout',
  tombstoneGraceMs: 'tombstoneGrace',
  maxHintWindowMs: 'maxHintWindow',
  heartbeatIntervalMs: 'heartbeatInterval',
  suspectAfterMs: 'suspectAfter',
  downAfterMs: 'downAfter',
  antiEntropyIntervalMs: 'antiEntropyInterval',
  maxClockOffsetMs: 'maxClockOffset',
} as const;
export type DurationMsKey = keyof typeof durationKeys;

const serversMessage =
  'Expected `servers` to list at least one server, such as ["127.0.0.1:10000"].';
const serversMaxMessage = `Expected \`servers\` to list at most ${configBounds.serversMax} servers (each is a process on this machine).`;
const delaysMessage =
  'Expected `delays` to be an object from server (address or id) to delay, such as {"2": "1.5s"}.';
const durationMs = z.number().min(0).max(durationMsMax).optional();
const positiveDurationMs = z.number().positive().max(durationMsMax).optional();

export const linkSchema = z
  .object({ from: z.unknown(), to: z.unknown(), delay: z.unknown(), loss: z.unknown() })
  .strict();
export type RawLink = z.infer<typeof linkSchema>;

// Key order is the order unknown-key messages list them in.
export const rawConfigSchema = z
  .object({
    servers: z
      .array(z.unknown())
      .min(1, serversMessage)
      .max(configBounds.serversMax, serversMaxMessage),
    // Not z.record: it copies by assignment, and a "__proto__" key would vanish unchecked.
    delays: z.custom<Record<string, unknown>>(isPlainObject, delaysMessage).optional(),
    delayDistribution: z.enum(['uniform', 'fixed', 'exponential']).optional(),
    fifo: z.boolean().optional(),
    links: z.array(linkSchema).optional(),
    replicationFactor: z.number().int().min(1).optional(),
    defaultLevel: z.enum(levelNames).optional(),
    readRepair: z.enum(['background', 'blocking', 'off']).optional(),
    requestTimeoutMs: positiveDurationMs,
    requestTimeout: z.unknown(),
    tombstoneGraceMs: durationMs,
    tombstoneGrace: z.unknown(),
    virtualNodes: z.number().int().min(1).max(configBounds.virtualNodesMax).optional(),
    keyBytesMax: z.number().int().min(1).max(configBounds.keyBytesCeiling).optional(),
    valueBytesMax: z.number().int().min(1).max(configBounds.valueBytesCeiling).optional(),
    durability: z.enum(['sync', 'batch', 'none']).optional(),
    maxHintWindowMs: durationMs,
    maxHintWindow: z.unknown(),
    heartbeatIntervalMs: positiveDurationMs,
    heartbeatInterval: z.unknown(),
    suspectAfterMs: durationMs,
    suspectAfter: z.unknown(),
    downAfterMs: durationMs,
    downAfter: z.unknown(),
    antiEntropyIntervalMs: durationMs,
    antiEntropyInterval: z.unknown(),
    maxClockOffsetMs: durationMs,
    maxClockOffset: z.unknown(),
    description: z.string().optional(),
  })
  .strict();
export type RawConfig = z.infer<typeof rawConfigSchema>;

const topLevelKeys = Object.keys(rawConfigSchema.shape);
const linkKeys = Object.keys(linkSchema.shape);

// Checks the shape of `raw`; the first problem becomes the error, the rest are counted.
export function parseRawConfig(raw: unknown): RawConfig {
  const parsed = rawConfigSchema.safeParse(raw, { errorMap: describeIssue });
  if (parsed.success) return parsed.data;
  const [first, ...rest] = parsed.error.issues;
  const more =
    rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
  throw badConfig(`${first?.message ?? 'The config is invalid.'}${more}`);
}

// Turns a zod issue into one line that names the field and says what it should be.
const describeIssue: ZodErrorMap = (issue, context) => {
  const field = formatPath(issue.path);
  const got = showValue(context.data);
  switch (issue.code) {
    case 'invalid_type':
      if (field === '`servers`' && context.data === undefined) return { message: serversMessage };
      return { message: `Expected ${field} to be ${describeType(issue.expected)}, got ${got}.` };
    case 'invalid_enum_value':
      return {
        message: `Expected ${field} to be one of ${issue.options.join(', ')}, got ${showValue(issue.received)}.`,
      };
    case 'unrecognized_keys': {
      const known = issue.path.length === 0 ? topLevelKeys : linkKeys;
      const where = issue.path.length === 0 ? 'the config' : field;
      const [key = '', ...others] = issue.keys;
      return {
        message: `Unknown key ${showKey(key)}${describeOthers(others)} in ${where}${suggestKey(key, known)}`,
      };
    }
    case 'too_small':
      return {
        message: `Expected ${field} to be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}, got ${got}.`,
      };
    case 'too_big':
      return {
        message: `Expected ${field} to be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}, got ${got}.`,
      };
    default:
      return { message: `${field}: ${context.defaultError}.` };
  }
};

const shownKeysMax = 3;

function showKey(key: string): string {
  return `\`${key.length > 40 ? `${key.slice(0, 37)}...` : key}\``;
}

// " (and `b`, `c`)": the other unknown keys, a few by name.
function describeOthers(keys: string[]): string {
  if (keys.length === 0) return '';
  const named = keys.slice(0, shownKeysMax).map(showKey);
  if (keys.length > shownKeysMax) named.push(`${keys.length - shownKeysMax} more`);
  return ` (and ${named.join(', ')})`;
}

// zod names an enum's type as "'sync' | 'batch' | 'none'"; show it as the enum message does.
function describeType(expected: string): string {
  const literals = expected.split(' | ');
  if (literals.every((literal) => /^'[^']*'$/.test(literal))) {
    return `one of ${literals.map((literal) => literal.slice(1, -1)).join(', ')}`;
  }
  const names: Record<string, string> = {
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    string: 'a string',
    array: 'a list',
    object: 'an object',
  };
  return names[expected] ?? expected;
}

function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return 'the config';
  const text = path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      if (/^[A-Za-z_$][\w$]*$/.test(part)) return index === 0 ? part : `.${part}`;
      return `[${JSON.stringify(part)}]`;
    })
    .join('');
  return `\`${text}\``;
}
