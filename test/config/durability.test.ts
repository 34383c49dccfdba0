import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { assertBadConfig, fourServers } from './helpers.js';

const servers = fourServers;

test('a config without them gets batch durability, a 3h hint window and no anti-entropy', (t) => {
  const config = parseConfig({ servers });
  t.is(config.durability, 'batch');
  t.is(config.maxHintWindowMs, 10_800_000);
  t.is(config.antiEntropyIntervalMs, 0);
});

for (const durability of ['sync', 'batch', 'none'] as const) {
  test(`durability ${durability} is accepted`, (t) => {
    t.is(parseConfig({ servers, durability }).durability, durability);
  });
}

test('maxHintWindow and antiEntropyInterval take durations', (t) => {
  const config = parseConfig({ servers, maxHintWindow: '1h', antiEntropyInterval: '30s' });
  t.is(config.maxHintWindowMs, 3_600_000);
  t.is(config.antiEntropyIntervalMs, 30_000);
});

test('maxHintWindowMs and antiEntropyIntervalMs take milliseconds', (t) => {
  const config = parseConfig({ servers, maxHintWindowMs: 60_000, antiEntropyIntervalMs: 5000 });
  t.is(config.maxHintWindowMs, 60_000);
  t.is(config.antiEntropyIntervalMs, 5000);
});

test('a zero maxHintWindowMs is accepted and keeps no hints', (t) => {
  t.is(parseConfig({ servers, maxHintWindowMs: 0 }).maxHintWindowMs, 0);
});

const rejectsConfig = test.macro({
  exec(t, raw: Record<string, unknown>, pattern: RegExp) {
    const error = t.throws(() => parseConfig({ servers, ...raw }, { source: 'configs/x.json' }));
    assertBadConfig(t, error, pattern);
  },
  title: (providedTitle = '') => `rejects a config with ${providedTitle}`,
});

test(
  'an unknown durability',
  rejectsConfig,
  { durability: 'fast' },
  /^configs\/x\.json: Expected `durability` to be one of sync, batch, none, got "fast"\.$/,
);
test(
  'a durability that is not a string',
  rejectsConfig,
  { durability: true },
  /Expected `durability` to be one of sync, batch, none, got true\./,
);
test(
  'a negative maxHintWindowMs',
  rejectsConfig,
  { maxHintWindowMs: -1 },
  /Expected `maxHintWindowMs` to be at least 0, got -1\./,
);
test(
  'a maxHintWindow that is not a duration',
  rejectsConfig,
  { maxHintWindow: '3 hours' },
  /Expected `maxHintWindow` to be a duration such as "150ms".*got "3 hours"\./,
);
test(
  'both maxHintWindowMs and maxHintWindow',
  rejectsConfig,
  { maxHintWindowMs: 1000, maxHintWindow: '1s' },
  /Give either `maxHintWindowMs` or `maxHintWindow`, not both\./,
);
test(
  'a negative antiEntropyInterval',
  rejectsConfig,
  { antiEntropyInterval: '-1m' },
  /Expected `antiEntropyInterval` to be zero or more, got "-1m"/,
);
test(
  'an antiEntropyIntervalMs that is not a number',
  rejectsConfig,
  { antiEntropyIntervalMs: '30s' },
  /Expected `antiEntropyIntervalMs` to be a number, got "30s"\./,
);
test(
  'a misspelt durability key',
  rejectsConfig,
  { durabilty: 'sync' },
  /Unknown key `durabilty` in the config; did you mean `durability`\?/,
);
test(
  'an unrelated key, listing the new keys',
  rejectsConfig,
  { hintWindowHours: 3 },
  /the known keys are .*durability, maxHintWindowMs, maxHintWindow, heartbeatIntervalMs, heartbeatInterval, suspectAfterMs, suspectAfter, downAfterMs, downAfter, antiEntropyIntervalMs, antiEntropyInterval, maxClockOffsetMs, maxClockOffset, description\.$/,
);
