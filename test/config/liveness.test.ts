import test from 'ava';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { assertBadConfig, configPath, fourServers, withTempFile } from './helpers.js';

const servers = fourServers;

test('configs/default.json derives suspect and down from its slowest delay', async (t) => {
  // 1500ms uniform reaches 3000ms: suspect = 4·500 + 2·3000, down = 2·suspect.
  const config = await loadConfig(configPath('default.json'));
  t.is(config.heartbeatIntervalMs, 500);
  t.is(config.suspectAfterMs, 8000);
  t.is(config.downAfterMs, 16_000);
});

test('a config without delays is suspect after four heartbeats and down after eight', (t) => {
  const config = parseConfig({ servers });
  t.is(config.heartbeatIntervalMs, 500);
  t.is(config.suspectAfterMs, 2000);
  t.is(config.downAfterMs, 4000);
});

const derivesThresholds = test.macro({
  exec(t, raw: Record<string, unknown>, suspectAfterMs: number) {
    const config = parseConfig({ servers, ...raw });
    t.is(config.suspectAfterMs, suspectAfterMs);
    t.is(config.downAfterMs, 2 * suspectAfterMs);
  },
  title: (providedTitle = '') => `the derived suspect and down thresholds cover ${providedTitle}`,
});

test(
  'a fixed delay at its mean',
  derivesThresholds,
  { delays: { '1': '100ms' }, delayDistribution: 'fixed' },
  2000 + 2 * 100,
);
test(
  'a uniform delay at twice its mean',
  derivesThresholds,
  { delays: { '1': '100ms', '2': '300ms' } },
  2000 + 2 * 600,
);
test(
  'an exponential delay at five times its mean',
  derivesThresholds,
  { delays: { '1': '100ms' }, delayDistribution: 'exponential' },
  2000 + 2 * 500,
);
test(
  'a link delay above every server delay',
  derivesThresholds,
  { delays: { '1': '100ms' }, links: [{ from: 1, to: 2, delay: '1s' }] },
  2000 + 2 * 2000,
);
test(
  'a longer heartbeat interval',
  derivesThresholds,
  { heartbeatIntervalMs: 1000, delays: { '1': '100ms' } },
  4000 + 2 * 200,
);
test(
  'delays in seconds from config.py units',
  derivesThresholds,
  { delays: { '1': '2s' } },
  2000 + 2 * 4000,
);

test('a given suspectAfterMs sets downAfterMs to twice it', (t) => {
  const config = parseConfig({ servers, suspectAfterMs: 3000 });
  t.is(config.suspectAfterMs, 3000);
  t.is(config.downAfterMs, 6000);
});

test('a given downAfterMs keeps the derived suspectAfterMs', (t) => {
  const config = parseConfig({ servers, downAfterMs: 10_000 });
  t.is(config.suspectAfterMs, 2000);
  t.is(config.downAfterMs, 10_000);
});

test('heartbeatInterval, suspectAfter and downAfter take durations', (t) => {
  const config = parseConfig({
    servers,
    heartbeatInterval: '250ms',
    suspectAfter: '1.5s',
    downAfter: '1m',
  });
  t.is(config.heartbeatIntervalMs, 250);
  t.is(config.suspectAfterMs, 1500);
  t.is(config.downAfterMs, 60_000);
});

test('bare numbers in heartbeatInterval are milliseconds, even in config.py', async (t) => {
  const text = 'servers = [("127.0.0.1", 10000)]\nheartbeatInterval = 250\nsuspectAfter = "2s"\n';
  const config = await withTempFile('config.py', text, (path) => loadConfig(path));
  t.is(config.heartbeatIntervalMs, 250);
  t.is(config.suspectAfterMs, 2000);
  t.is(config.downAfterMs, 4000);
});

const rejectsConfig = test.macro({
  exec(t, raw: Record<string, unknown>, pattern: RegExp) {
    const error = t.throws(() => parseConfig({ servers, ...raw }, { source: 'configs/x.json' }));
    assertBadConfig(t, error, pattern);
    t.true(error?.message.startsWith('configs/x.json: '), 'the message starts with the source');
  },
  title: (providedTitle = '') => `rejects a config with ${providedTitle}`,
});

test(
  'a zero heartbeatIntervalMs',
  rejectsConfig,
  { heartbeatIntervalMs: 0 },
  /: Expected `heartbeatIntervalMs` to be more than 0, got 0\.$/,
);
test(
  'a zero heartbeatInterval duration',
  rejectsConfig,
  { heartbeatInterval: '0s' },
  /: Expected `heartbeatInterval` to be more than 0, got "0s"\.$/,
);
test(
  'a heartbeatInterval that is not a duration',
  rejectsConfig,
  { heartbeatInterval: 'often' },
  /Expected `heartbeatInterval` to be a duration such as "150ms".*got "often"\.$/,
);
test(
  'both heartbeatIntervalMs and heartbeatInterval',
  rejectsConfig,
  { heartbeatIntervalMs: 500, heartbeatInterval: '1s' },
  /Give either `heartbeatIntervalMs` or `heartbeatInterval`, not both\./,
);
test(
  'a suspectAfterMs at the default heartbeat interval',
  rejectsConfig,
  { suspectAfterMs: 500 },
  /: Expected `suspectAfterMs` to be more than `heartbeatIntervalMs` \(500, the default\), got 500; a peer would turn suspect between two heartbeats: raise `suspectAfterMs`, set `heartbeatIntervalMs` below it or leave `suspectAfterMs` out to derive it\.$/,
);
test(
  'a suspectAfter duration shorter than the heartbeatInterval',
  rejectsConfig,
  { heartbeatInterval: '2s', suspectAfter: '1s' },
  /Expected `suspectAfter` to be more than `heartbeatInterval` \("2s"\), got "1s";.* lower `heartbeatInterval`/,
);
test(
  'a negative suspectAfterMs',
  rejectsConfig,
  { suspectAfterMs: -1 },
  /Expected `suspectAfterMs` to be at least 0, got -1\./,
);
test(
  'a downAfterMs equal to suspectAfterMs',
  rejectsConfig,
  { suspectAfterMs: 3000, downAfterMs: 3000 },
  /: Expected `downAfterMs` to be more than `suspectAfterMs` \(3000\), got 3000; a peer would be down before it was ever suspect: raise `downAfterMs`, lower `suspectAfterMs` or leave `downAfterMs` out to derive it\.$/,
);
test(
  'a downAfterMs below the derived suspectAfterMs',
  rejectsConfig,
  { delays: { '2': '1500ms' }, downAfterMs: 5000 },
  /Expected `downAfterMs` to be more than `suspectAfterMs` \(8000, derived from the heartbeat and the delays\), got 5000;.* set `suspectAfterMs` below it/,
);
test(
  'a downAfter duration that is not a duration',
  rejectsConfig,
  { downAfter: 'later' },
  /`downAfter` to be a duration/,
);
test(
  'delays too long to derive suspectAfterMs from',
  rejectsConfig,
  { delays: { '1': '100h' }, delayDistribution: 'exponential' },
  /`suspectAfterMs` would default to .*past the longest timer Node can hold.*; set `suspectAfterMs` yourself\.$/,
);
test(
  'a misspelt heartbeat key',
  rejectsConfig,
  { heartbeat_interval: '1s' },
  /Unknown key `heartbeat_interval` in the config; did you mean `heartbeatInterval`\?/,
);
test(
  'a suspectAfter key in the wrong case',
  rejectsConfig,
  { suspectAfterMS: 1000 },
  /did you mean `suspectAfterMs`\?/,
);
