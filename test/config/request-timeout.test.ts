import test from 'ava';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { describeRequestTimeout, withReadRepair } from '../../src/config/request-timeout.js';
import { assertBadConfig, configPath, fourServers } from './helpers.js';

const servers = fourServers;

test('the original config.py, in seconds, waits 1.25 × its slowest round trip (20 s · 2 out, 2 s · 2 back)', async (t) => {
  const config = await loadConfig(configPath('config.py'));
  t.is(config.requestTimeoutMs, 55_000);
  t.is(config.requestTimeoutSource, 'derived');
  t.is(
    describeRequestTimeout(config),
    'requestTimeoutMs derived from the delays: 55000 ms (set it in the config to choose another)',
  );
});

test('the original config.py read as milliseconds keeps the 5 s floor and says nothing', async (t) => {
  const config = await loadConfig(configPath('config.py'), { delayUnit: 'ms' });
  t.is(config.requestTimeoutMs, 5000);
  t.is(config.requestTimeoutSource, 'derived');
  t.is(describeRequestTimeout(config), undefined);
});

const derives = test.macro({
  exec(t, raw: Record<string, unknown>, requestTimeoutMs: number) {
    const config = parseConfig({ servers, ...raw });
    t.is(config.requestTimeoutMs, requestTimeoutMs);
    t.is(config.requestTimeoutSource, 'derived');
  },
  title: (providedTitle = '', _raw, requestTimeoutMs: number) =>
    `${providedTitle} derives requestTimeoutMs ${requestTimeoutMs}`,
});

test('no delays', derives, {}, 5000);
test('one server', derives, { servers: servers.slice(0, 1), delays: { '1': '1h' } }, 5000);
// Uniform over [0, 8 s] out to the slow server and 0 back: 8 s, times 1.25.
test('a server at 4 s mean (uniform)', derives, { delays: { '2': '4s' } }, 10_000);
test(
  'a server at 4 s (fixed)',
  derives,
  { delays: { '2': '4s' }, delayDistribution: 'fixed' },
  5000,
);
// Both ends slow: 3 s out and 3 s back, fixed.
test(
  'two servers at 3 s (fixed)',
  derives,
  { delays: { '1': '3s', '2': '3s' }, delayDistribution: 'fixed' },
  7500,
);
// The slowest pair is 2 and 3 (2 s + 6 s); twice the slowest server (12 s) is no round trip.
test(
  'the slowest pair, not twice the slowest server',
  derives,
  { delays: { '1': '0.5s', '2': '2s', '3': '6s', '4': '0.5s' }, delayDistribution: 'fixed' },
  10_000,
);
// Exponential: 5 means per message, so 5 · (1 s + 1 s).
test(
  'two servers at 1 s (exponential)',
  derives,
  { delays: { '1': '1s', '2': '1s' }, delayDistribution: 'exponential' },
  12_500,
);
// A blocking read repair sends the repair and waits for its ack before replying: two round trips.
test(
  'a blocking read repair',
  derives,
  { delays: { '1': '3s', '2': '3s' }, delayDistribution: 'fixed', readRepair: 'blocking' },
  15_000,
);
// The link 1 -> 2 overrides the 100 ms of server 2: 8 s out, 100 ms back.
test(
  'a slow link',
  derives,
  {
    delays: { '1': '100ms', '2': '100ms' },
    links: [{ from: 1, to: 2, delay: '8s' }],
    delayDistribution: 'fixed',
  },
  10_125,
);

test('a given requestTimeoutMs or requestTimeout wins over the delays', (t) => {
  const delays = { '1': '20s', '2': '20s' };
  const byMs = parseConfig({ servers, delays, requestTimeoutMs: 1000 });
  t.is(byMs.requestTimeoutMs, 1000);
  t.is(byMs.requestTimeoutSource, 'config');
  t.is(describeRequestTimeout(byMs), undefined);
  const byDuration = parseConfig({ servers, delays, requestTimeout: '2s' });
  t.is(byDuration.requestTimeoutMs, 2000);
  t.is(byDuration.requestTimeoutSource, 'config');
});

test('a derived timeout below the failure detector stays below it', (t) => {
  const config = parseConfig({ servers, delays: { '2': '20s' } });
  t.true(config.requestTimeoutMs < config.downAfterMs);
});

test('switching to a blocking read repair derives the timeout again, a given one is kept', (t) => {
  const delays = { '1': '3s', '2': '3s' };
  const derived = parseConfig({ servers, delays, delayDistribution: 'fixed' });
  t.is(withReadRepair(derived, 'blocking').requestTimeoutMs, 15_000);
  t.is(withReadRepair(derived, 'blocking').readRepair, 'blocking');
  const given = parseConfig({ servers, delays, requestTimeoutMs: 4000 });
  t.is(withReadRepair(given, 'blocking').requestTimeoutMs, 4000);
});

test('delays too long to derive a timeout from ask for one', (t) => {
  const error = t.throws(() =>
    parseConfig(
      {
        servers,
        delays: { '1': '500h', '2': '500h' },
        delayDistribution: 'fixed',
        suspectAfterMs: 1000,
        downAfterMs: 2000,
      },
      { source: 'x.json' },
    ),
  );
  assertBadConfig(
    t,
    error,
    /`requestTimeoutMs` would default to .*; set `requestTimeoutMs` yourself\./,
  );
});
