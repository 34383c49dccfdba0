import test from 'ava';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { assertBadConfig, configPath, fourServers, withTempFile } from './helpers.js';

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
    requestTimeoutSource: 'config',
    tombstoneGraceMs: 600_000,
    virtualNodes: 64,
    keyBytesMax: 1024,
    valueBytesMax: 1_048_576,
    durability: 'batch',
    maxHintWindowMs: 10_800_000,
    heartbeatIntervalMs: 500,
    suspectAfterMs: 8000,
    downAfterMs: 16_000,
    antiEntropyIntervalMs: 0,
    maxClockOffsetMs: 6500,
  });
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
  /Server 3 \(`servers\[2\]`\) duplicates the address 127\.0\.0\.1:10000 of server 1; give each server its own port\./,
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
test('rejects a missing file with BAD_CONFIG naming the path', async (t) => {
  const path = join(tmpdir(), 'quartet-no-such-config.json');
  const error = await t.throwsAsync(loadConfig(path));
  assertBadConfig(t, error, /No such file/);
  t.true(error?.message.startsWith(path));
});
