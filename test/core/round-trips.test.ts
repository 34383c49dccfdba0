import test from 'ava';
import { measureRoundTripsMs, selectAnswerMs } from '../../src/core/round-trips.js';

// delays[S] as in the config: the mean delay of a message to S.
const delaysMs: Record<number, number> = { 1: 5, 2: 10, 3: 40, 4: 100 };
const meanMs = (_from: number, to: number) => delaysMs[to]!;

test('a round trip is the delay to the replica plus the delay back, and zero on the coordinator', (t) => {
  t.deepEqual(measureRoundTripsMs(1, [2, 3, 1], meanMs), [10 + 5, 40 + 5, 0]);
  t.deepEqual(measureRoundTripsMs(4, [1, 2, 3], meanMs), [105, 110, 140]);
});

test('the level waits for the k-th smallest round trip: smallest for one, middle for quorum, largest for all', (t) => {
  const roundTrips = () => measureRoundTripsMs(4, [3, 1, 2], meanMs);
  t.is(selectAnswerMs(roundTrips(), 1), 105);
  t.is(selectAnswerMs(roundTrips(), 2), 110);
  t.is(selectAnswerMs(roundTrips(), 3), 140);
});

test('a level needing more answers than there are replicas never completes', (t) => {
  t.is(selectAnswerMs([1, 2], 3), Number.POSITIVE_INFINITY);
  t.is(selectAnswerMs([7], 0), 0);
});

test('filling a reused array leaves nothing of the previous request', (t) => {
  const out = [99, 99, 99, 99];
  t.is(measureRoundTripsMs(1, [1, 2], meanMs, out), out);
  t.deepEqual(out, [0, 15]);
});
