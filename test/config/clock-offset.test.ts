import test from 'ava';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { assertBadConfig, configPath, fourServers } from './helpers.js';

const servers = fourServers;

test('configs/default.json bounds clock offset at 500 ms plus a round trip at its slowest delay', async (t) => {
  // 1500ms uniform reaches 3000ms: 500 + 2·3000.
  const config = await loadConfig(configPath('default.json'));
  t.is(config.maxClockOffsetMs, 6500);
});

test('a config without delays bounds clock offset at 500 ms', (t) => {
  t.is(parseConfig({ servers }).maxClockOffsetMs, 500);
});

test('the derived bound follows the delay distribution and the slowest link', (t) => {
  const exponential = parseConfig({
    servers,
    delays: { 1: '10ms' },
    delayDistribution: 'exponential',
  });
  t.is(exponential.maxClockOffsetMs, 500 + 2 * 5 * 10);
  const link = parseConfig({ servers, links: [{ from: 1, to: 2, delay: '100ms' }] });
  t.is(link.maxClockOffsetMs, 500 + 2 * 2 * 100);
});

test('maxClockOffset takes a duration and maxClockOffsetMs a number of ms', (t) => {
  t.is(parseConfig({ servers, maxClockOffset: '2s' }).maxClockOffsetMs, 2000);
  t.is(parseConfig({ servers, maxClockOffsetMs: 250 }).maxClockOffsetMs, 250);
});

test('a negative maxClockOffsetMs is a clear config error', (t) => {
  const error = t.throws(() => parseConfig({ servers, maxClockOffsetMs: -1 }));
  assertBadConfig(t, error, /maxClockOffsetMs.*at least 0.*-1/);
});
