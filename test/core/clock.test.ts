import test from 'ava';
import fc from 'fast-check';
import {
  checkClockOffset,
  compareTimestamps,
  formatTimestamp,
  HybridClock,
  type Timestamp,
} from '../../src/core/clock.js';
import { QuartetError } from '../../src/core/errors.js';
import { holds } from './property.js';

const ts = (wallMs: number, counter: number, nodeId: number): Timestamp => ({
  wallMs,
  counter,
  nodeId,
});

const compares = test.macro({
  exec(t, a: Timestamp, b: Timestamp, expected: -1 | 1) {
    t.is(compareTimestamps(a, b), expected);
    t.is(compareTimestamps(b, a), -expected);
  },
  title: (provided = '', a: Timestamp, b: Timestamp) =>
    `timestamps order ${provided}: ${formatTimestamp(a)} before ${formatTimestamp(b)}`,
});

test('by wall time first', compares, ts(1, 9, 9), ts(2, 0, 1), -1);
test('by counter when the wall time ties', compares, ts(5, 1, 9), ts(5, 2, 1), -1);
test('by node id when wall time and counter tie', compares, ts(5, 2, 1), ts(5, 2, 3), -1);

test('a timestamp compares equal only to itself', (t) => {
  t.is(compareTimestamps(ts(5, 2, 3), ts(5, 2, 3)), 0);
});

test('a timestamp prints as wall.counter@node', (t) => {
  t.is(formatTimestamp(ts(1700, 3, 2)), '1700.3@2');
});

test('a stamp takes the wall time when the wall clock moves forward', (t) => {
  const clock = new HybridClock(4);
  t.deepEqual(clock.stamp(100), ts(100, 0, 4));
  t.deepEqual(clock.stamp(250), ts(250, 0, 4));
  t.deepEqual(clock.last, ts(250, 0, 4));
});

test('stamps strictly increase while the wall clock stands still', (t) => {
  const clock = new HybridClock(1);
  const stamps = [clock.stamp(100), clock.stamp(100), clock.stamp(100)];
  t.deepEqual(stamps, [ts(100, 0, 1), ts(100, 1, 1), ts(100, 2, 1)]);
});

test('stamps strictly increase when the wall clock goes backwards', (t) => {
  const clock = new HybridClock(2);
  const first = clock.stamp(1_000);
  const second = clock.stamp(400);
  const third = clock.stamp(0);
  t.is(compareTimestamps(first, second), -1);
  t.is(compareTimestamps(second, third), -1);
  t.is(third.wallMs, 1_000, 'the clock keeps the highest wall time it has seen');
});

test('after observing a remote timestamp every stamp is above it, even with a lagging wall clock', (t) => {
  const clock = new HybridClock(1);
  clock.stamp(100);
  const remote = ts(5_000, 7, 3);
  clock.observe(remote, 200);
  const next = clock.stamp(200);
  t.is(compareTimestamps(next, remote), 1);
  t.deepEqual(next, ts(5_000, 8, 1));
});

test('a stamp after observing a remote timestamp from a higher node id is still above it', (t) => {
  const clock = new HybridClock(1);
  const remote = ts(300, 0, 9);
  clock.observe(remote, 300);
  t.is(compareTimestamps(clock.stamp(300), remote), 1);
});

test('observing an old remote timestamp does not move the clock backwards', (t) => {
  const clock = new HybridClock(2);
  const mine = clock.stamp(900);
  clock.observe(ts(10, 50, 1), 20);
  t.is(compareTimestamps(clock.stamp(20), mine), 1);
});

test('stamps carry the clock’s own node id, never the observed one', (t) => {
  const clock = new HybridClock(3);
  clock.observe(ts(800, 4, 1), 0);
  t.is(clock.last.nodeId, 3);
  t.is(clock.stamp(0).nodeId, 3);
});

type ClockEvent =
  { kind: 'stamp'; wallMs: number } | { kind: 'observe'; wallMs: number; remote: Timestamp };

const wallMsArbitrary = fc.integer({ min: 0, max: 50 });
const clockEventArbitrary: fc.Arbitrary<ClockEvent> = fc.oneof(
  fc.record({ kind: fc.constant('stamp' as const), wallMs: wallMsArbitrary }),
  fc.record({
    kind: fc.constant('observe' as const),
    wallMs: wallMsArbitrary,
    remote: fc.record({
      wallMs: wallMsArbitrary,
      counter: fc.integer({ min: 0, max: 5 }),
      nodeId: fc.integer({ min: 1, max: 5 }),
    }),
  }),
);

test('over any sequence of stamps and observations, each stamp is above every earlier stamp and every observed timestamp', (t) => {
  holds(
    t,
    fc.property(fc.integer({ min: 1, max: 5 }), fc.array(clockEventArbitrary), (nodeId, events) => {
      const clock = new HybridClock(nodeId);
      let highest: Timestamp | undefined;
      for (const event of events) {
        if (event.kind === 'observe') {
          clock.observe(event.remote, event.wallMs);
          if (highest === undefined || compareTimestamps(event.remote, highest) > 0) {
            highest = event.remote;
          }
          continue;
        }
        const stamp = clock.stamp(event.wallMs);
        if (highest !== undefined && compareTimestamps(stamp, highest) <= 0) return false;
        if (stamp.wallMs < event.wallMs) return false;
        highest = stamp;
      }
      return true;
    }),
  );
});

test('a timestamp within maxClockOffsetMs ahead of the wall clock is observed', (t) => {
  const clock = new HybridClock(1, 500);
  clock.observe(ts(1_500, 3, 2), 1_000);
  t.deepEqual(clock.last, ts(1_500, 3, 1));
});

test('a timestamp further ahead than maxClockOffsetMs is refused with CLOCK_SKEW, the clock unmoved', (t) => {
  const clock = new HybridClock(1, 500);
  clock.stamp(1_000);
  const error = t.throws(() => clock.observe(ts(1_501, 0, 2), 1_000), { instanceOf: QuartetError });
  t.is(error?.code, 'CLOCK_SKEW');
  t.regex(
    error?.message ?? '',
    /node 2 stamped 501 ms ahead.*maxClockOffsetMs \(500 ms\).*skew 2 0/,
  );
  t.deepEqual(clock.last, ts(1_000, 0, 1));
  t.deepEqual(clock.stamp(1_000), ts(1_000, 1, 1));
});

test('a version ten years ahead names the offset in seconds', (t) => {
  const tenYearsMs = 10 * 365 * 24 * 3_600_000;
  t.throws(() => checkClockOffset(ts(tenYearsMs, 0, 3), 0, 500), {
    message: /node 3 stamped 315360000 s ahead/,
  });
});

test('restore moves the clock past a version it holds, however far ahead', (t) => {
  const clock = new HybridClock(1, 500);
  clock.restore(ts(1_000_000, 2, 3), 1_000);
  t.deepEqual(clock.stamp(1_000), ts(1_000_000, 3, 1));
});

test('the bound holds for any offset: observed at or within it, refused and unmoved past it', (t) => {
  holds(
    t,
    fc.property(
      fc.integer({ min: 0, max: 1e12 }),
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.integer({ min: 0, max: 1e5 }),
      (wallMs, offsetMs, maxClockOffsetMs) => {
        const clock = new HybridClock(1, maxClockOffsetMs);
        const before = clock.last;
        const remote = ts(Math.max(0, wallMs + offsetMs), 0, 2);
        let refused = false;
        try {
          clock.observe(remote, wallMs);
        } catch {
          refused = true;
        }
        const within = remote.wallMs - wallMs <= maxClockOffsetMs;
        return refused
          ? !within && compareTimestamps(clock.last, before) === 0
          : within && compareTimestamps(clock.stamp(wallMs), remote) > 0;
      },
    ),
  );
});
