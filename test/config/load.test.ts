import test, { type ExecutionContext } from 'ava';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QuartetError } from '../../src/core/errors.js';
import { formatDurationMs, parseDurationMs } from '../../src/config/durations.js';
import { loadConfig, parseConfig, parsePythonConfig } from '../../src/config/load.js';

const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
const configPath = (name: string) => join(repoRoot, 'configs', name);
const fourServers = ['127.0.0.1:10000', '127.0.0.1:10001', '127.0.0.1:10002', '127.0.0.1:10003'];

function findRepoRoot(start: string): string {
  let directory = start;
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`No package.json above ${start}`);
    directory = parent;
  }
  return directory;
}

// Writes `text` to a fresh temp file, runs `use` on its path and removes the file, even on failure.
async function withTempFile<T>(
  name: string,
  text: string,
  use: (path: string) => Promise<T>,
): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), 'quartet-config-'));
  try {
    const path = join(directory, name);
    await writeFile(path, text);
    return await use(path);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function assertBadConfig(t: ExecutionContext, error: unknown, pattern: RegExp): void {
  t.true(error instanceof QuartetError, `expected a QuartetError, got ${String(error)}`);
  const quartetError = error as QuartetError;
  t.is(quartetError.code, 'BAD_CONFIG');
  t.regex(quartetError.message, pattern);
  t.false(quartetError.message.includes('\n'), 'the message is one line');
}

test('configs/default.json loads the original four servers with node 2 ten times slower', async (t) => {
  const config = await loadConfig(configPath('default.json'));
  t.deepEqual(config, {
    servers: [
      { id: 1, host: '127.0.0.1', port: 10000, delayMsMean: 150 },
      { id: 2, host: '127.0.0.1', port: 10001, delayMsMean: 1500 },
      { id: 3, host: '127.0.0.1', port: 10002, delayMsMean: 150 },
      { id: 4, host: '127.0.0.1', port: 10003, delayMsMean: 150 },
    ],
    delayDistribution: 'uniform',
    fifo: true,
    links: [],
    replicationFactor: 3,
    defaultLevel: 'all',
    readRepair: 'background',
    requestTimeoutMs: 5000,
    tombstoneGraceMs: 600_000,
    virtualNodes: 64,
    keyBytesMax: 1024,
    valueBytesMax: 1_048_576,
  });
});

test('the original config.py loads with its bare delays read as seconds', async (t) => {
  const config = await loadConfig(configPath('config.py'));
  t.deepEqual(
    config.servers.map((server) => [
      server.id,
      `${server.host}:${server.port}`,
      server.delayMsMean,
    ]),
    [
      [1, '127.0.0.1:10000', 2000],
      [2, '127.0.0.1:10001', 20000],
      [3, '127.0.0.1:10002', 2000],
      [4, '127.0.0.1:10003', 2000],
    ],
  );
  t.is(config.replicationFactor, 3);
  t.is(config.defaultLevel, 'all');
});

test('the original config.py reads its bare delays as milliseconds with delayUnit ms', async (t) => {
  const config = await loadConfig(configPath('config.py'), { delayUnit: 'ms' });
  t.deepEqual(
    config.servers.map((server) => server.delayMsMean),
    [2, 20, 2, 2],
  );
});

test('configs/fast.json has no delays', async (t) => {
  const config = await loadConfig(configPath('fast.json'));
  t.is(config.servers.length, 4);
  t.true(config.servers.every((server) => server.delayMsMean === 0));
});

test('configs/wan.json keeps messages within a region fast and across regions slow', async (t) => {
  const config = await loadConfig(configPath('wan.json'));
  t.true(config.servers.every((server) => server.delayMsMean === 80));
  t.deepEqual(config.links, [
    { from: 1, to: 2, delayMsMean: 5 },
    { from: 2, to: 1, delayMsMean: 5 },
    { from: 3, to: 4, delayMsMean: 5 },
    { from: 4, to: 3, delayMsMean: 5 },
  ]);
});

test('a config.py with comments, single quotes, trailing commas and odd spacing loads', async (t) => {
  const text = [
    '# my cluster',
    "servers = [ ('127.0.0.1' , 10000),   # first",
    '  ("127.0.0.1",',
    '   10001,),',
    "  ('localhost', 10_002),",
    ']',
    '',
    'delays = {',
    "    ('127.0.0.1', 10000): 0.5,  # half a second",
    '    ("127.0.0.1", 10001) :',
    '        2,',
    "    3: '150ms',",
    '}',
    'replicationFactor = 2',
    "readRepair = 'blocking'; fifo = False",
  ].join('\n');
  const config = await withTempFile('config.py', text, (path) => loadConfig(path));
  t.deepEqual(
    config.servers.map((server) => [server.host, server.port, server.delayMsMean]),
    [
      ['127.0.0.1', 10000, 500],
      ['127.0.0.1', 10001, 2000],
      ['localhost', 10002, 150],
    ],
  );
  t.is(config.replicationFactor, 2);
  t.is(config.readRepair, 'blocking');
  t.false(config.fifo);
});

test('parsePythonConfig returns the raw shape the JSON path accepts', (t) => {
  const raw = parsePythonConfig(
    'servers = [("127.0.0.1", 10000)]\ndelays = {("127.0.0.1", 10000): 2}',
  );
  t.deepEqual(raw, { servers: [['127.0.0.1', 10000]], delays: { '127.0.0.1:10000': 2 } });
});

test('a minimal config gets the documented defaults', (t) => {
  const config = parseConfig({ servers: ['127.0.0.1:10000', { host: 'localhost', port: 10001 }] });
  t.is(config.replicationFactor, 2);
  t.deepEqual(
    config.servers.map((server) => server.delayMsMean),
    [0, 0],
  );
  t.is(config.delayDistribution, 'uniform');
  t.true(config.fifo);
  t.is(config.defaultLevel, 'all');
  t.is(config.readRepair, 'background');
  t.is(config.requestTimeoutMs, 5000);
  t.is(config.tombstoneGraceMs, 600_000);
  t.is(config.virtualNodes, 64);
});

test('delays may name servers by id, bare JSON numbers are ms unless delayUnit is s', (t) => {
  const raw = { servers: fourServers.slice(0, 2), delays: { '1': 150, '127.0.0.1:10001': '1.5s' } };
  t.deepEqual(
    parseConfig(raw).servers.map((server) => server.delayMsMean),
    [150, 1500],
  );
  t.deepEqual(
    parseConfig(raw, { delayUnit: 's' }).servers.map((server) => server.delayMsMean),
    [150_000, 1500],
  );
});

test('links name servers by id or address and take loss as a fraction or a percentage', (t) => {
  const config = parseConfig({
    servers: fourServers,
    links: [
      { from: 1, to: '127.0.0.1:10001', delay: '50ms', loss: '10%' },
      { from: '3', to: 4, loss: 0.25 },
    ],
  });
  t.deepEqual(config.links, [
    { from: 1, to: 2, delayMsMean: 50, lossRate: 0.1 },
    { from: 3, to: 4, lossRate: 0.25 },
  ]);
});

test('durations given as requestTimeout and tombstoneGrace are read', (t) => {
  const config = parseConfig({ servers: fourServers, requestTimeout: '2s', tombstoneGrace: '1h' });
  t.is(config.requestTimeoutMs, 2000);
  t.is(config.tombstoneGraceMs, 3_600_000);
});

const rejectsConfig = test.macro({
  exec(t, raw: unknown, pattern: RegExp) {
    const error = t.throws(() => parseConfig(raw, { source: 'configs/x.json' }));
    assertBadConfig(t, error, pattern);
    t.true(error?.message.startsWith('configs/x.json: '), 'the message starts with the source');
  },
  title: (providedTitle = '') => `rejects a config with ${providedTitle}`,
});

const servers = fourServers;
test('no servers key', rejectsConfig, {}, /`servers` to list at least one server/);
test('an empty server list', rejectsConfig, { servers: [] }, /`servers` to list at least one/);
test('a config that is not an object', rejectsConfig, [1], /Expected the config to be an object/);
test(
  'a port out of range',
  rejectsConfig,
  { servers: ['127.0.0.1:70000'] },
  /port of server 1.*1 to 65535, got "70000"/,
);
test(
  'a port that is not a number',
  rejectsConfig,
  { servers: [{ host: 'a', port: 'x' }] },
  /port of server 1/,
);
test(
  'an address without a port',
  rejectsConfig,
  { servers: ['127.0.0.1'] },
  /server 1 \(`servers\[0\]`\) to be "host:port"/,
);
test('a bad host', rejectsConfig, { servers: ['bad host:1'] }, /host of server 1/);
test('a server of the wrong type', rejectsConfig, { servers: [42] }, /`servers\[0\]`.*got 42/);
test(
  'an unknown key in a server object',
  rejectsConfig,
  { servers: [{ host: 'a', prot: 1 }] },
  /Unknown key `prot`.*did you mean `port`/,
);
test(
  'a duplicate address',
  rejectsConfig,
  { servers: [...servers.slice(0, 2), '127.0.0.1:10000'] },
  /Server 3 duplicates the address 127\.0\.0\.1:10000 of server 1; give each server its own port\./,
);
test(
  'a delay for an unknown server address',
  rejectsConfig,
  { servers, delays: { '127.0.0.1:10009': 1 } },
  /key of `delays`.*got "127\.0\.0\.1:10009"/,
);
test(
  'a delay for an unknown server id',
  rejectsConfig,
  { servers, delays: { '5': 1 } },
  /id \(1-4\).*got "5"/,
);
test(
  'two delays for one server',
  rejectsConfig,
  { servers, delays: { '1': 1, '127.0.0.1:10000': 2 } },
  /server 1 a delay twice/,
);
test(
  'a bad duration',
  rejectsConfig,
  { servers, delays: { '1': '5 parsecs' } },
  /`delays\["1"\]` to be a duration such as "150ms"/,
);
test(
  'a delay of the wrong type',
  rejectsConfig,
  { servers, delays: { '1': true } },
  /`delays\["1"\]` to be a duration/,
);
test(
  'a negative delay',
  rejectsConfig,
  { servers, delays: { '1': '-5ms' } },
  /`delays\["1"\]` to be zero or more, got "-5ms"/,
);
test(
  'a replication factor of 0',
  rejectsConfig,
  { servers, replicationFactor: 0 },
  /Expected `replicationFactor` to be at least 1, got 0\./,
);
test(
  'a replication factor above the number of servers',
  rejectsConfig,
  { servers, replicationFactor: 5 },
  /Expected `replicationFactor` to be at most the number of servers \(4\), got 5\./,
);
test(
  'a fractional replication factor',
  rejectsConfig,
  { servers, replicationFactor: 2.5 },
  /`replicationFactor` to be a whole number, got 2\.5/,
);
test(
  'an unknown level',
  rejectsConfig,
  { servers, defaultLevel: 'most' },
  /`defaultLevel` to be one of one, two, three, quorum, all, got "most"/,
);
test(
  'a default level above the replication factor',
  rejectsConfig,
  { servers, replicationFactor: 2, defaultLevel: 'three' },
  /`defaultLevel`.*\(2\)/,
);
test(
  'an unknown readRepair mode',
  rejectsConfig,
  { servers, readRepair: 'sometimes' },
  /`readRepair` to be one of background, blocking, off/,
);
test(
  'an unknown delay distribution',
  rejectsConfig,
  { servers, delayDistribution: 'normal' },
  /`delayDistribution` to be one of uniform, fixed, exponential/,
);
test(
  'fifo that is not a boolean',
  rejectsConfig,
  { servers, fifo: 'yes' },
  /`fifo` to be true or false, got "yes"/,
);
test(
  'a misspelt top-level key',
  rejectsConfig,
  { servers, replicationfactor: 3 },
  /Unknown key `replicationfactor` in the config; did you mean `replicationFactor`\?/,
);
test(
  'a snake_case top-level key',
  rejectsConfig,
  { servers, read_repair: 'off' },
  /did you mean `readRepair`/,
);
test(
  'an unrelated top-level key',
  rejectsConfig,
  { servers, colour: 'blue' },
  /Unknown key `colour`.*known keys are servers/,
);
test(
  'a link to an unknown node',
  rejectsConfig,
  { servers, links: [{ from: 1, to: 9, delay: 1 }] },
  /`links\[0\]\.to` to be the id \(1-4\) or address.*got 9/,
);
test(
  'a link from a node to itself',
  rejectsConfig,
  { servers, links: [{ from: 2, to: 2, delay: 1 }] },
  /`links\[0\]` to join two different servers/,
);
test(
  'a link that overrides nothing',
  rejectsConfig,
  { servers, links: [{ from: 1, to: 2 }] },
  /`links\[0\]` to set `delay`, `loss` or both/,
);
test(
  'a repeated link',
  rejectsConfig,
  {
    servers,
    links: [
      { from: 1, to: 2, delay: 1 },
      { from: 1, to: 2, loss: 0 },
    ],
  },
  /`links\[1\]` repeats the link 1 -> 2/,
);
test(
  'a misspelt link key',
  rejectsConfig,
  { servers, links: [{ from: 1, to: 2, dealy: 1 }] },
  /Unknown key `dealy` in `links\[0\]`; did you mean `delay`/,
);
test(
  'a loss above 100%',
  rejectsConfig,
  { servers, links: [{ from: 1, to: 2, loss: '150%' }] },
  /`links\[0\]\.loss` to be a fraction from 0 to 1 or a percentage/,
);
test(
  'a loss fraction above 1',
  rejectsConfig,
  { servers, links: [{ from: 1, to: 2, loss: 10 }] },
  /`links\[0\]\.loss`.*got 10\./,
);
test(
  'a negative loss',
  rejectsConfig,
  { servers, links: [{ from: 1, to: 2, loss: -0.1 }] },
  /`links\[0\]\.loss`/,
);
test(
  'both requestTimeoutMs and requestTimeout',
  rejectsConfig,
  { servers, requestTimeoutMs: 1, requestTimeout: '1s' },
  /either `requestTimeoutMs` or `requestTimeout`/,
);
test(
  'a zero request timeout',
  rejectsConfig,
  { servers, requestTimeoutMs: 0 },
  /`requestTimeoutMs` to be more than 0, got 0/,
);
test(
  'a zero request timeout duration',
  rejectsConfig,
  { servers, requestTimeout: '0s' },
  /`requestTimeout` to be more than 0/,
);
test(
  'a bad tombstone grace',
  rejectsConfig,
  { servers, tombstoneGrace: 'forever' },
  /`tombstoneGrace` to be a duration/,
);
test(
  'too many virtual nodes',
  rejectsConfig,
  { servers, virtualNodes: 1_000_000 },
  /`virtualNodes` to be at most 1024/,
);
test(
  'a zero keyBytesMax',
  rejectsConfig,
  { servers, keyBytesMax: 0 },
  /`keyBytesMax` to be at least 1/,
);

const rejectsFile = test.macro({
  async exec(t, name: string, text: string, pattern: RegExp) {
    await withTempFile(name, text, async (path) => {
      const error = await t.throwsAsync(loadConfig(path));
      assertBadConfig(t, error, pattern);
      t.true(error?.message.startsWith(`${path}: `), 'the message starts with the file path');
    });
  },
  title: (providedTitle = '') => `rejects a file with ${providedTitle}`,
});

test(
  'a JSON syntax error',
  rejectsFile,
  'x.json',
  '{\n  "servers": ["127.0.0.1:1"],\n}\n',
  /Invalid JSON at line 3, column 1/,
);
test('an empty JSON file', rejectsFile, 'x.json', '', /Invalid JSON/);
test(
  'an unknown extension',
  rejectsFile,
  'x.yaml',
  'servers: []',
  /end in \.json or \.py, got "\.yaml"/,
);
test(
  'a validation error in a JSON file',
  rejectsFile,
  'x.json',
  '{"servers": []}',
  /`servers` to list/,
);
test(
  'a Python list that is not closed',
  rejectsFile,
  'config.py',
  'servers = [\n  ("127.0.0.1", 10000)\n',
  /line 3, column 1: Expected `,` or `]` after a list item, got the end of the file\./,
);
test(
  'a Python call',
  rejectsFile,
  'config.py',
  'servers = [\n  make_server(1)\n]',
  /line 2, column 3: Expected a value.*got `make_server`/,
);
test(
  'a Python import',
  rejectsFile,
  'config.py',
  'import os\n',
  /line 1, column 8: Expected `=` after `import`, got `os`/,
);
test(
  'a Python string that is not closed',
  rejectsFile,
  'config.py',
  'servers = ["127.0.0.1:1]\n',
  /line 1, column 12: Expected the string that starts here to end with " on the same line/,
);
test(
  'a Python setting set twice',
  rejectsFile,
  'config.py',
  'servers = []\nservers = []\n',
  /line 2, column 1: `servers` is set twice/,
);
test(
  'a Python dict key given twice',
  rejectsFile,
  'config.py',
  'delays = {1: 2,\n 1: 3}\n',
  /line 2, column 2: The dict key "1" appears twice/,
);
test(
  'two Python settings on one line',
  rejectsFile,
  'config.py',
  'servers = [] delays = {}\n',
  /line 1, column 14: Expected a new line after the value/,
);
test(
  'a Python tuple key that is not (host, port)',
  rejectsFile,
  'config.py',
  'delays = {(1, 2): 3}\n',
  /tuple dict key to be \("host", port\)/,
);
test(
  'a validation error in a Python file',
  rejectsFile,
  'config.py',
  'servers = [("127.0.0.1", 99999)]\n',
  /port of server 1/,
);

test('rejects a missing file with BAD_CONFIG naming the path', async (t) => {
  const path = join(tmpdir(), 'quartet-no-such-config.json');
  const error = await t.throwsAsync(loadConfig(path));
  assertBadConfig(t, error, /No such file/);
  t.true(error?.message.startsWith(path));
});

const parsesDuration = test.macro({
  exec(t, input: string | number, bareUnit: 'ms' | 's', expectedMs: number) {
    t.is(parseDurationMs(input, bareUnit), expectedMs);
  },
  title: (_title, input, bareUnit) =>
    `parseDurationMs reads ${JSON.stringify(input)} (bare ${bareUnit})`,
});

test(parsesDuration, '2ms', 's', 2);
test(parsesDuration, '1.5s', 'ms', 1500);
test(parsesDuration, '1.1s', 'ms', 1100);
test(parsesDuration, '2m', 'ms', 120_000);
test(parsesDuration, ' 250 ms ', 'ms', 250);
test(parsesDuration, 150, 'ms', 150);
test(parsesDuration, 2, 's', 2000);
test(parsesDuration, '2', 's', 2000);
test(parsesDuration, '.5', 'ms', 0.5);

const rejectsDuration = test.macro({
  exec(t, input: string | number, pattern: RegExp) {
    assertBadConfig(
      t,
      t.throws(() => parseDurationMs(input, 'ms')),
      pattern,
    );
  },
  title: (_title, input) => `parseDurationMs rejects ${JSON.stringify(input) ?? String(input)}`,
});

test(
  rejectsDuration,
  'abc',
  /a duration such as "150ms", "1.5s", "2m" or a plain number.*got "abc"/,
);
test(rejectsDuration, '1.5.2s', /got "1\.5\.2s"/);
test(rejectsDuration, '5 parsecs', /got "5 parsecs"/);
test(rejectsDuration, '', /got ""/);
test(rejectsDuration, Number.NaN, /got NaN/);
test(rejectsDuration, -1, /zero or more, got -1/);
test(rejectsDuration, '30d', /got "30d"/);
test(rejectsDuration, '1000h', /at most/);

const formatsDuration = test.macro({
  exec(t, ms: number, expected: string) {
    t.is(formatDurationMs(ms), expected);
  },
  title: (_title, ms, expected) => `formatDurationMs shows ${ms} as ${expected}`,
});

test(formatsDuration, 0, '0ms');
test(formatsDuration, 150, '150ms');
test(formatsDuration, 0.5, '0.5ms');
test(formatsDuration, 1500, '1.5s');
test(formatsDuration, 120_000, '2m');
test(formatsDuration, 90_000, '90s');
test(formatsDuration, 3_600_000, '1h');
