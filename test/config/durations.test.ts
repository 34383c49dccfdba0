import test from 'ava';
import { formatDurationMs, parseDurationMs } from '../../src/config/durations.js';
import { assertBadConfig } from './helpers.js';

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
