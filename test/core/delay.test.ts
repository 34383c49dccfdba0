import test from 'ava';
import {
  isDropped,
  sampleDelayMs,
  type DelayDistribution,
  type LinkSettings,
} from '../../src/core/delay.js';
import { createSeededRandom, type Random } from '../../src/core/random.js';

const draws = 10_000;
const meanMs = 150;

function sampleMany(distribution: DelayDistribution, seed: number): number[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: draws }, () => sampleDelayMs(distribution, meanMs, random));
}

const average = (samples: number[]) => samples.reduce((sum, x) => sum + x, 0) / samples.length;

// A random source that replays fixed numbers, to pin down exactly which draws count.
function replay(...numbers: number[]): Random {
  let i = 0;
  return () => {
    const next = numbers[i++];
    if (next === undefined) throw new Error('the code drew more random numbers than expected');
    return next;
  };
}

test('the same seed gives the same sequence of delays, another seed a different one', (t) => {
  t.deepEqual(sampleMany('uniform', 7).slice(0, 50), sampleMany('uniform', 7).slice(0, 50));
  t.notDeepEqual(sampleMany('uniform', 7).slice(0, 50), sampleMany('uniform', 8).slice(0, 50));
});

test('a seeded random stays in [0, 1)', (t) => {
  const random = createSeededRandom(42);
  for (let i = 0; i < draws; i++) {
    const x = random();
    if (!(x >= 0 && x < 1)) t.fail(`draw ${i} gave ${x}`);
  }
  t.pass();
});

test('a fixed delay is always the mean', (t) => {
  t.deepEqual(new Set(sampleMany('fixed', 1)), new Set([meanMs]));
});

test('a uniform delay stays within [0, 2·mean]', (t) => {
  const samples = sampleMany('uniform', 2);
  t.true(samples.every((x) => x >= 0 && x <= 2 * meanMs));
  t.true(Math.max(...samples) > 1.9 * meanMs, 'the range is used up to near 2·mean');
  t.true(Math.min(...samples) < 0.1 * meanMs, 'and down to near 0');
});

test('a uniform delay averages the mean within 5% over 10,000 draws', (t) => {
  const mean = average(sampleMany('uniform', 3));
  t.true(Math.abs(mean - meanMs) <= 0.05 * meanMs, `sample mean ${mean}`);
});

test('an exponential delay averages the mean within 5% over 10,000 draws', (t) => {
  const samples = sampleMany('exponential', 4);
  const mean = average(samples);
  t.true(Math.abs(mean - meanMs) <= 0.05 * meanMs, `sample mean ${mean}`);
  t.true(samples.every((x) => x >= 0 && Number.isFinite(x)));
  t.true(Math.max(...samples) > 4 * meanMs, 'an exponential delay has a long tail');
});

test('an exponential delay is finite for every draw in [0, 1)', (t) => {
  t.true(sampleDelayMs('exponential', meanMs, replay(0)) === 0);
  t.true(Number.isFinite(sampleDelayMs('exponential', meanMs, replay(1 - 2 ** -53))));
});

const noDelay = test.macro({
  exec(t, distribution: DelayDistribution, mean: number) {
    t.is(sampleDelayMs(distribution, mean, replay(0.5)), 0);
  },
  title: (_provided, distribution: DelayDistribution, mean: number) =>
    `a ${distribution} delay with mean ${mean} is no delay`,
});

for (const distribution of ['uniform', 'fixed', 'exponential'] as const) {
  test(noDelay, distribution, 0);
  test(noDelay, distribution, -5);
}

const link = (overrides: Partial<LinkSettings>): LinkSettings => ({
  delayMsMean: 10,
  lossRate: 0,
  blocked: false,
  ...overrides,
});

test('a blocked link drops every message, even with no loss', (t) => {
  t.true(isDropped(link({ blocked: true }), replay(0.99)));
});

test('a link without loss never drops and draws no random number', (t) => {
  t.false(isDropped(link({}), replay()));
});

test('a lossy link drops a message when the draw falls below the loss rate', (t) => {
  t.true(isDropped(link({ lossRate: 0.3 }), replay(0.29)));
  t.false(isDropped(link({ lossRate: 0.3 }), replay(0.3)));
  t.false(isDropped(link({ lossRate: 0.3 }), replay(0.8)));
});

test('a loss rate of 1 drops everything and 0.3 drops about 30% of 10,000 messages', (t) => {
  const random = createSeededRandom(5);
  const count = (lossRate: number) =>
    Array.from({ length: draws }, () => isDropped(link({ lossRate }), random)).filter(Boolean)
      .length;
  t.is(count(1), draws);
  const dropped = count(0.3) / draws;
  t.true(dropped > 0.27 && dropped < 0.33, `dropped ${dropped * 100}%`);
});
