/*
 * Loads a cluster config from JSON (`.json`) or from the original assignment's `config.py`.
 *
 * JSON format (only `servers` is required):
 *
 *   {
 *     "description": "free text, ignored",
 *     "servers": ["127.0.0.1:10000", {"host": "127.0.0.1", "port": 10001}, ["127.0.0.1", 10002]],
 *     "delays": {"127.0.0.1:10000": "150ms", "2": "1.5s", "3": 150},
 *     "delayDistribution": "uniform",            // "uniform" (default) | "fixed" | "exponential"
 *     "fifo": true,                              // default true
 *     "links": [{"from": 1, "to": "127.0.0.1:10001", "delay": "50ms", "loss": "10%"}],
 *     "replicationFactor": 3,                    // default min(3, number of servers)
 *     "defaultLevel": "all",                     // one | two | three | quorum | all (default all)
 *     "readRepair": "background",                // "background" (default) | "blocking" | "off"
 *     "requestTimeoutMs": 5000,                  // or "requestTimeout": "5s"; default 5000
 *     "tombstoneGraceMs": 600000,                // or "tombstoneGrace": "10m"; default 10 minutes
 *     "virtualNodes": 64, "keyBytesMax": 1024, "valueBytesMax": 1048576
 *   }
 *
 * - Server ids are 1..N in the order of `servers`.
 * - `delays` maps a server ("host:port" or its id) to the mean one-way delay of messages delivered
 *   to it; servers not listed get 0. Values are durations ("150ms", "1.5s", "2m") or bare numbers,
 *   which are milliseconds in JSON and seconds in config.py unless `delayUnit` says otherwise.
 * - `links[].from`/`to` name a server by id or "host:port"; `delay` overrides the per-server delay
 *   on that one-way link, `loss` is a fraction 0..1 or a percentage "0%".."100%".
 * - `requestTimeout` and `tombstoneGrace` take durations; their bare numbers are milliseconds.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { z, type ZodErrorMap } from 'zod';
import { QuartetError } from '../core/errors.js';
import { levelNames, requiredAnswers, type LevelName } from '../core/levels.js';
import type { ClusterConfig, LinkConfig, ServerConfig } from './types.js';
import { durationMsMax, parseDurationMs, type BareUnit } from './durations.js';

export interface LoadConfigOptions {
  /** The unit of bare numbers in delays; default 'ms' for JSON and 's' for config.py. */
  delayUnit?: BareUnit;
}

export interface ParseConfigOptions extends LoadConfigOptions {
  /** Where the config came from (a file path); prefixes every error message. */
  source?: string;
}

export const configDefaults = {
  delayDistribution: 'uniform',
  fifo: true,
  replicationFactorMax: 3,
  defaultLevel: 'all',
  readRepair: 'background',
  requestTimeoutMs: 5_000,
  tombstoneGraceMs: 600_000,
  virtualNodes: 64,
  keyBytesMax: 1_024,
  valueBytesMax: 1_048_576,
} as const;

export const configBounds = {
  fileBytesMax: 1_048_576,
  virtualNodesMax: 1_024,
  keyBytesCeiling: 65_536,
  valueBytesCeiling: 67_108_864,
  pythonNestingMax: 32,
} as const;

export async function loadConfig(
  path: string,
  options: LoadConfigOptions = {},
): Promise<ClusterConfig> {
  const text = await readConfigText(path);
  const extension = extname(path).toLowerCase();
  if (extension === '.json') {
    const raw = parseJsonText(text, path);
    return parseConfig(raw, { delayUnit: options.delayUnit ?? 'ms', source: path });
  }
  if (extension === '.py') {
    const raw = withSource(path, () => parsePythonConfig(text));
    return parseConfig(raw, { delayUnit: options.delayUnit ?? 's', source: path });
  }
  throw badConfig(
    `${path}: Expected the config file to end in .json or .py, got "${extension || 'no extension'}".`,
  );
}

export function parseConfig(raw: unknown, options: ParseConfigOptions = {}): ClusterConfig {
  return withSource(options.source, () => buildConfig(raw, options.delayUnit ?? 'ms'));
}

// ---------------------------------------------------------------------------------------------
// Shape (zod) and the checks that need the whole config.

const topLevelKeys = [
  'servers',
  'delays',
  'delayDistribution',
  'fifo',
  'links',
  'replicationFactor',
  'defaultLevel',
  'readRepair',
  'requestTimeoutMs',
  'requestTimeout',
  'tombstoneGraceMs',
  'tombstoneGrace',
  'virtualNodes',
  'keyBytesMax',
  'valueBytesMax',
  'description',
] as const;
const linkKeys = ['from', 'to', 'delay', 'loss'] as const;
const serverKeys = ['host', 'port'] as const;

const serversMessage =
  'Expected `servers` to list at least one server, such as ["127.0.0.1:10000"].';
const linkSchema = z
  .object({ from: z.unknown(), to: z.unknown(), delay: z.unknown(), loss: z.unknown() })
  .strict();
const rawConfigSchema = z
  .object({
    description: z.string().optional(),
    servers: z.array(z.unknown()).min(1, serversMessage),
    delays: z.record(z.string(), z.unknown()).optional(),
    delayDistribution: z.enum(['uniform', 'fixed', 'exponential']).optional(),
    fifo: z.boolean().optional(),
    links: z.array(linkSchema).optional(),
    replicationFactor: z.number().int().min(1).optional(),
    defaultLevel: z.enum(levelNames).optional(),
    readRepair: z.enum(['background', 'blocking', 'off']).optional(),
    requestTimeoutMs: z.number().positive().max(durationMsMax).optional(),
    requestTimeout: z.unknown(),
    tombstoneGraceMs: z.number().min(0).max(durationMsMax).optional(),
    tombstoneGrace: z.unknown(),
    virtualNodes: z.number().int().min(1).max(configBounds.virtualNodesMax).optional(),
    keyBytesMax: z.number().int().min(1).max(configBounds.keyBytesCeiling).optional(),
    valueBytesMax: z.number().int().min(1).max(configBounds.valueBytesCeiling).optional(),
  })
  .strict();
type RawConfig = z.infer<typeof rawConfigSchema>;

function buildConfig(raw: unknown, delayUnit: BareUnit): ClusterConfig {
  const parsed = rawConfigSchema.safeParse(raw, { errorMap: describeIssue });
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues;
    const more =
      rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
    throw badConfig(`${first?.message ?? 'The config is invalid.'}${more}`);
  }
  const input = parsed.data;
  const addresses = input.servers.map((entry, index) => parseServerEntry(entry, index));
  checkDistinctAddresses(addresses);
  const delays = resolveDelays(input.delays ?? {}, addresses, delayUnit);
  const servers: ServerConfig[] = addresses.map((address, index) => ({
    id: index + 1,
    ...address,
    delayMsMean: delays.get(index + 1) ?? 0,
  }));
  const replicationFactor = resolveReplicationFactor(input.replicationFactor, servers.length);
  const defaultLevel = input.defaultLevel ?? configDefaults.defaultLevel;
  checkLevelFits(defaultLevel, replicationFactor);
  return {
    servers,
    delayDistribution: input.delayDistribution ?? configDefaults.delayDistribution,
    fifo: input.fifo ?? configDefaults.fifo,
    links: resolveLinks(input.links ?? [], addresses, delayUnit),
    replicationFactor,
    defaultLevel,
    readRepair: input.readRepair ?? configDefaults.readRepair,
    requestTimeoutMs: resolveRequestTimeoutMs(input),
    tombstoneGraceMs:
      pickDuration(input, 'tombstoneGraceMs', 'tombstoneGrace') ?? configDefaults.tombstoneGraceMs,
    virtualNodes: input.virtualNodes ?? configDefaults.virtualNodes,
    keyBytesMax: input.keyBytesMax ?? configDefaults.keyBytesMax,
    valueBytesMax: input.valueBytesMax ?? configDefaults.valueBytesMax,
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

function resolveRequestTimeoutMs(input: RawConfig): number {
  const timeoutMs = pickDuration(input, 'requestTimeoutMs', 'requestTimeout');
  if (timeoutMs === 0) {
    throw badConfig('Expected `requestTimeout` to be more than 0, got 0.');
  }
  return timeoutMs ?? configDefaults.requestTimeoutMs;
}

// A setting given either as `<name>Ms` (a number) or `<name>` (a duration); bare numbers are ms.
function pickDuration(
  input: RawConfig,
  msKey: 'requestTimeoutMs' | 'tombstoneGraceMs',
  durationKey: 'requestTimeout' | 'tombstoneGrace',
): number | undefined {
  const duration = input[durationKey];
  if (duration === undefined) return input[msKey];
  if (input[msKey] !== undefined) {
    throw badConfig(`Give either \`${msKey}\` or \`${durationKey}\`, not both.`);
  }
  return parseDurationField(duration, 'ms', `\`${durationKey}\``);
}

// ---------------------------------------------------------------------------------------------
// Servers, delays and links.

interface Address {
  host: string;
  port: number;
}

const hostnamePattern = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const ipv6Pattern = /^[0-9A-Fa-f:.]+$/;
const serverForms = '"host:port", {"host": "...", "port": 10000} or ["host", 10000]';

function parseServerEntry(entry: unknown, index: number): Address {
  const field = `server ${index + 1} (\`servers[${index}]\`)`;
  if (typeof entry === 'string') return parseAddressString(entry, field);
  if (Array.isArray(entry) && entry.length === 2) return checkAddress(entry[0], entry[1], field);
  if (isPlainObject(entry)) {
    const unknownKey = Object.keys(entry).find(
      (key) => !(serverKeys as readonly string[]).includes(key),
    );
    if (unknownKey !== undefined) {
      throw badConfig(
        `Unknown key \`${unknownKey}\` in ${field}${suggestKey(unknownKey, serverKeys)}`,
      );
    }
    return checkAddress(entry.host, entry.port, field);
  }
  throw badConfig(`Expected ${field} to be ${serverForms}, got ${showValue(entry)}.`);
}

function parseAddressString(text: string, field: string): Address {
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(text);
  const colon = text.lastIndexOf(':');
  if (bracketed) return checkAddress(bracketed[1], bracketed[2], field);
  if (colon > 0 && text.indexOf(':') === colon) {
    return checkAddress(text.slice(0, colon), text.slice(colon + 1), field);
  }
  throw badConfig(
    `Expected ${field} to be ${serverForms} (write IPv6 hosts as "[::1]:10000"), got ${showValue(text)}.`,
  );
}

function checkAddress(host: unknown, port: unknown, field: string): Address {
  const hostOk =
    typeof host === 'string' &&
    (hostnamePattern.test(host) || (host.includes(':') && ipv6Pattern.test(host)));
  if (!hostOk) {
    throw badConfig(
      `Expected the host of ${field} to be a hostname or IP address such as "127.0.0.1", got ${showValue(host)}.`,
    );
  }
  const portNumber = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
  if (
    typeof portNumber !== 'number' ||
    !Number.isInteger(portNumber) ||
    portNumber < 1 ||
    portNumber > 65_535
  ) {
    throw badConfig(
      `Expected the port of ${field} to be a whole number from 1 to 65535, got ${showValue(port)}.`,
    );
  }
  return { host, port: portNumber };
}

function checkDistinctAddresses(addresses: Address[]): void {
  const seen = new Map<string, number>();
  addresses.forEach((address, index) => {
    const text = formatAddress(address);
    const first = seen.get(text);
    if (first !== undefined) {
      throw badConfig(
        `Server ${index + 1} duplicates the address ${text} of server ${first}; give each server its own port.`,
      );
    }
    seen.set(text, index + 1);
  });
}

function resolveDelays(
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

function resolveLinks(
  links: z.infer<typeof linkSchema>[],
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

// A server named by its id ("2") or its address ("127.0.0.1:10001").
function findServerId(ref: string, addresses: Address[]): number | undefined {
  const text = ref.trim();
  if (/^\d+$/.test(text)) {
    const id = Number(text);
    return id >= 1 && id <= addresses.length ? id : undefined;
  }
  const index = addresses.findIndex((address) => formatAddress(address) === text);
  return index === -1 ? undefined : index + 1;
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

// parseDurationMs names any other type in its message, so untrusted values go straight in.
function parseDurationField(value: unknown, bareUnit: BareUnit, field: string): number {
  return parseDurationMs(value as string | number, bareUnit, field);
}

export function formatAddress(address: Address): string {
  return address.host.includes(':')
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`;
}

// ---------------------------------------------------------------------------------------------
// Messages.

// Turns a zod issue into one line that names the field and says what it should be.
const describeIssue: ZodErrorMap = (issue, context) => {
  const field = formatPath(issue.path);
  const got = showValue(context.data);
  switch (issue.code) {
    case 'invalid_type':
      if (formatPath(issue.path) === '`servers`' && context.data === undefined) {
        return { message: serversMessage };
      }
      return { message: `Expected ${field} to be ${describeType(issue.expected)}, got ${got}.` };
    case 'invalid_enum_value':
      return {
        message: `Expected ${field} to be one of ${issue.options.join(', ')}, got ${showValue(issue.received)}.`,
      };
    case 'unrecognized_keys': {
      const known = issue.path.length === 0 ? topLevelKeys : linkKeys;
      const where = issue.path.length === 0 ? 'the config' : field;
      const key = issue.keys[0] ?? '';
      return { message: `Unknown key \`${key}\` in ${where}${suggestKey(key, known)}` };
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

function describeType(expected: string): string {
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

// "; did you mean `replicationFactor`?" for a near miss, else the list of known keys.
function suggestKey(key: string, known: readonly string[]): string {
  const normalize = (text: string) => text.toLowerCase().replace(/[-_\s]/g, '');
  const close = known.find(
    (name) =>
      normalize(name) === normalize(key) ||
      measureEditDistance(name.toLowerCase(), key.toLowerCase()) <= Math.max(2, key.length / 5),
  );
  if (close !== undefined) return `; did you mean \`${close}\`?`;
  return `; the known keys are ${known.join(', ')}.`;
}

function measureEditDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badConfig(message: string, cause?: unknown): QuartetError {
  return new QuartetError('BAD_CONFIG', message, cause === undefined ? undefined : { cause });
}

// Prefixes BAD_CONFIG messages with the file they came from.
function withSource<T>(source: string | undefined, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (source === undefined || !(error instanceof QuartetError) || error.code !== 'BAD_CONFIG') {
      throw error;
    }
    throw badConfig(`${source}: ${error.message}`, error);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading files.

async function readConfigText(path: string): Promise<string> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? `No such file; check the path (relative paths start at ${process.cwd()}).`
        : code === 'EISDIR'
          ? 'This is a directory; give the path of a .json or .py file.'
          : `Could not read the file (${code ?? String(error)}).`;
    throw badConfig(`${path}: ${reason}`, error);
  }
  if (buffer.length > configBounds.fileBytesMax) {
    throw badConfig(
      `${path}: Expected the config file to be at most ${configBounds.fileBytesMax} bytes, got ${buffer.length}.`,
    );
  }
  return buffer.toString('utf8').replace(/^\uFEFF/, '');
}

function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message.replace(/\s+/g, ' ');
    const position = /at position (\d+)/.exec(message)?.[1];
    const reason = message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/ \(line \d+ column \d+\)/, '');
    const where = position === undefined ? '' : ` at ${describePosition(text, Number(position))}`;
    throw badConfig(`${source}: Invalid JSON${where}: ${reason}.`, error);
  }
}

function describePosition(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

// ---------------------------------------------------------------------------------------------
// The original config.py: `name = value` lines whose values are Python literals.

type PythonValue =
  string | number | boolean | null | PythonValue[] | { [key: string]: PythonValue };

interface Token {
  kind: 'name' | 'string' | 'number' | 'punct' | 'end';
  text: string;
  value: string | number;
  line: number;
  column: number;
}

const numberPattern = /[+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?/y;
const namePattern = /[A-Za-z_]\w*/y;
const escapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

// A strict reader (never eval) for `servers = [...]` and `delays = {...}`; tuples become lists,
// (host, port) dict keys become "host:port".
export function parsePythonConfig(text: string): unknown {
  const reader = createTokenReader(tokenizePython(text));
  const settings: Record<string, PythonValue> = {};
  while (reader.peek().kind !== 'end') {
    const name = reader.next();
    if (name.kind !== 'name') reader.fail(name, 'a setting such as `servers = [...]`');
    if (Object.hasOwn(settings, name.text)) {
      reader.failWith(name, `\`${name.text}\` is set twice; keep one.`);
    }
    reader.expect('=', `\`=\` after \`${name.text}\``);
    settings[name.text] = parsePythonValue(reader, 0);
    if (reader.isPunct(';')) reader.next();
    else if (reader.peek().kind !== 'end' && reader.peek().line === reader.previous().line) {
      reader.fail(reader.peek(), 'a new line after the value');
    }
  }
  return settings;
}

const pythonConstants: Record<string, PythonValue> = { True: true, False: false, None: null };
const valueForms = 'a value (a number, a string, a list, a tuple or a dict)';

function parsePythonValue(reader: TokenReader, depth: number): PythonValue {
  const token = reader.next();
  if (depth >= configBounds.pythonNestingMax) {
    reader.failWith(token, `Expected at most ${configBounds.pythonNestingMax} levels of nesting.`);
  }
  if (token.kind === 'string' || token.kind === 'number') return token.value;
  if (token.kind === 'name' && Object.hasOwn(pythonConstants, token.text)) {
    return pythonConstants[token.text] ?? null;
  }
  if (token.kind === 'name') reader.fail(token, `${valueForms}; config.py may not use other names`);
  const parseItem = () => parsePythonValue(reader, depth + 1);
  if (token.text === '[') return parseSequence(reader, ']', parseItem, 'a list item');
  if (token.text === '(') return parseTupleRest(reader, parseItem);
  if (token.text === '{') return parseDictRest(reader, depth);
  return reader.fail(token, valueForms);
}

// After "(": "()" is an empty tuple, "(x)" is just x, "(x, ...)" is a tuple.
function parseTupleRest(reader: TokenReader, parseItem: () => PythonValue): PythonValue {
  if (reader.isPunct(')')) {
    reader.next();
    return [];
  }
  const first = parseItem();
  if (reader.isPunct(')')) {
    reader.next();
    return first;
  }
  reader.expect(',', '`,` or `)` after a tuple item');
  return [first, ...parseSequence(reader, ')', parseItem, 'a tuple item')];
}

function parseDictRest(reader: TokenReader, depth: number): PythonValue {
  const dict: Record<string, PythonValue> = {};
  const parseEntry = () => {
    const keyToken = reader.peek();
    const key = parsePythonKey(reader, depth + 1);
    if (Object.hasOwn(dict, key)) {
      reader.failWith(keyToken, `The dict key ${showValue(key)} appears twice; keep one.`);
    }
    reader.expect(':', '`:` after a dict key');
    dict[key] = parsePythonValue(reader, depth + 1);
  };
  parseSequence(reader, '}', parseEntry, 'a dict entry');
  return dict;
}

function parsePythonKey(reader: TokenReader, depth: number): string {
  const token = reader.peek();
  if (token.kind === 'string' || token.kind === 'number') return String(reader.next().value);
  if (!reader.isPunct('('))
    return reader.fail(token, 'a dict key: a string, a number or ("host", port)');
  const tuple = parsePythonValue(reader, depth);
  const [host, port] = Array.isArray(tuple) ? tuple : [];
  if (
    !Array.isArray(tuple) ||
    tuple.length !== 2 ||
    typeof host !== 'string' ||
    typeof port !== 'number'
  ) {
    return reader.failWith(
      token,
      `Expected a tuple dict key to be ("host", port), got ${showValue(tuple)}.`,
    );
  }
  return formatAddress({ host, port });
}

function parseSequence<T>(
  reader: TokenReader,
  close: string,
  parseItem: () => T,
  what: string,
): T[] {
  const items: T[] = [];
  while (!reader.isPunct(close)) {
    items.push(parseItem());
    if (reader.isPunct(',')) reader.next();
    else if (!reader.isPunct(close))
      reader.fail(reader.peek(), `\`,\` or \`${close}\` after ${what}`);
  }
  reader.next();
  return items;
}

interface TokenReader {
  peek(): Token;
  next(): Token;
  previous(): Token;
  isPunct(text: string): boolean;
  expect(text: string, expected: string): Token;
  fail(token: Token, expected: string): never;
  failWith(token: Token, message: string): never;
}

function createTokenReader(tokens: Token[]): TokenReader {
  let position = 0;
  const at = (index: number) => tokens[Math.min(index, tokens.length - 1)] as Token;
  const reader: TokenReader = {
    peek: () => at(position),
    next: () => at(position < tokens.length - 1 ? position++ : position),
    previous: () => at(Math.max(0, position - 1)),
    isPunct: (text) => reader.peek().kind === 'punct' && reader.peek().text === text,
    expect: (text, expected) =>
      reader.isPunct(text) ? reader.next() : reader.fail(reader.peek(), expected),
    fail: (token, expected) =>
      reader.failWith(token, `Expected ${expected}, got ${describeToken(token)}.`),
    failWith: (token, message) => {
      throw badConfig(`line ${token.line}, column ${token.column}: ${message}`);
    },
  };
  return reader;
}

function tokenizePython(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let index = 0;
  const fail = (message: string): never => {
    throw badConfig(`line ${line}, column ${index - lineStart + 1}: ${message}`);
  };
  const push = (kind: Token['kind'], tokenText: string, value: string | number, start: number) =>
    tokens.push({ kind, text: tokenText, value, line, column: start - lineStart + 1 });

  while (index < text.length) {
    const char = text[index] as string;
    if (char === '\n') {
      line += 1;
      lineStart = index + 1;
      index += 1;
    } else if (char === ' ' || char === '\t' || char === '\r' || char === '\f') {
      index += 1;
    } else if (char === '#') {
      while (index < text.length && text[index] !== '\n') index += 1;
    } else if (char === '"' || char === "'") {
      const start = index;
      let value = '';
      index += 1;
      while (text[index] !== char) {
        const current = text[index];
        if (current === undefined || current === '\n') {
          index = start;
          fail(`Expected the string that starts here to end with ${char} on the same line.`);
        }
        if (current === '\\') {
          const escaped = text[index + 1] ?? '';
          const replacement = escapes[escaped];
          if (replacement === undefined)
            fail(`Expected a known escape (\\n, \\t, \\\\, \\' or \\"), got \\${escaped}.`);
          value += replacement;
          index += 2;
        } else {
          value += current;
          index += 1;
        }
      }
      index += 1;
      push('string', text.slice(start, index), value, start);
    } else if ('[](){},:=;'.includes(char)) {
      push('punct', char, char, index);
      index += 1;
    } else {
      numberPattern.lastIndex = index;
      namePattern.lastIndex = index;
      const number = numberPattern.exec(text)?.[0];
      const name = number === undefined ? namePattern.exec(text)?.[0] : undefined;
      if (number !== undefined) {
        const value = Number(number.replace(/_/g, ''));
        if (!Number.isFinite(value)) fail(`Expected a number, got ${number}.`);
        push('number', number, value, index);
        index += number.length;
      } else if (name !== undefined) {
        push('name', name, name, index);
        index += name.length;
      } else {
        fail(
          `Expected a name, a number, a string or one of [ ] ( ) { } , : =, got ${JSON.stringify(char)}.`,
        );
      }
    }
  }
  tokens.push({ kind: 'end', text: '', value: '', line, column: index - lineStart + 1 });
  return tokens;
}

function describeToken(token: Token): string {
  if (token.kind === 'end') return 'the end of the file';
  if (token.kind === 'string') return JSON.stringify(token.value);
  return `\`${token.text}\``;
}
