import test from 'ava';
import { tombstone } from './arbitraries.js';
import {
  coordinator,
  errorOf,
  failedReplicasOf,
  fresh,
  key,
  old,
  readAt,
  repair,
  repairEvent,
  resultOf,
  typesOf,
} from './coordination.js';

test('a read at one answered first by a stale replica returns the old value and marks the others pending', (t) => {
  const read = readAt('one');
  t.deepEqual(read.start(), [
    { type: 'read', to: 1 },
    { type: 'read', to: 2 },
    { type: 'read', to: 3 },
  ]);
  t.deepEqual(read.onReadReply(2, old), [
    {
      type: 'respond',
      result: {
        op: 'get',
        key,
        level: 'one',
        coordinator,
        required: 1,
        acks: 1,
        value: 'old',
        found: true,
        ts: old.ts,
        replicas: [
          { node: 1, state: 'pending' },
          { node: 2, state: 'fresh', ts: old.ts },
          { node: 3, state: 'pending' },
        ],
      },
    },
  ]);
});

test('a read at all reports stale and missing replicas next to the newest value', (t) => {
  const read = readAt('all');
  read.start();
  read.onReadReply(1, fresh);
  read.onReadReply(2, old);
  const actions = read.onReadReply(3, undefined);
  t.deepEqual(typesOf(actions), ['respond', 'repair', 'repair']);
  const result = resultOf(t, actions);
  t.is(result.value, 'new');
  t.deepEqual(result.ts, fresh.ts);
  t.deepEqual(result.replicas, [
    { node: 1, state: 'fresh', ts: fresh.ts },
    { node: 2, state: 'stale', ts: old.ts },
    { node: 3, state: 'missing' },
  ]);
});

test('a read where all replicas agree answers and finishes without any repair', (t) => {
  const read = readAt('all');
  read.start();
  t.deepEqual(read.onReadReply(1, fresh), []);
  t.deepEqual(read.onReadReply(2, fresh), []);
  const actions = read.onReadReply(3, fresh);
  t.deepEqual(typesOf(actions), ['respond', 'done']);
  t.true(resultOf(t, actions).replicas.every((replica) => replica.state === 'fresh'));
});

test('a read of a key no replica has answers not found and repairs nothing', (t) => {
  const read = readAt('all');
  read.start();
  read.onReadReply(1, undefined);
  read.onReadReply(2, undefined);
  const actions = read.onReadReply(3, undefined);
  t.deepEqual(typesOf(actions), ['respond', 'done']);
  const result = resultOf(t, actions);
  t.false(result.found);
  t.is(result.value, null);
  t.is(result.ts, undefined);
  t.deepEqual(
    result.replicas.map((replica) => replica.state),
    ['fresh', 'fresh', 'fresh'],
  );
});

test('a read whose newest answer is a tombstone answers not found and spreads the tombstone', (t) => {
  const deletion = tombstone(300);
  const read = readAt('all');
  read.start();
  read.onReadReply(1, deletion);
  read.onReadReply(2, old);
  const actions = read.onReadReply(3, undefined);
  const result = resultOf(t, actions);
  t.false(result.found);
  t.is(result.value, null);
  t.deepEqual(result.ts, deletion.ts);
  t.deepEqual(
    actions.filter((action) => action.type === 'repair'),
    [repair(2, deletion), repair(3, deletion)],
  );
});

test('a read that times out before enough answers says k of n answered, and nothing about writes', (t) => {
  const read = readAt('all');
  read.start();
  read.onReadReply(2, fresh);
  const actions = read.onTimeout();
  t.deepEqual(typesOf(actions), ['fail', 'done']);
  const error = errorOf(t, actions);
  t.is(error.code, 'TIMEOUT');
  t.regex(error.message, /1 of 3 replicas answered, level `all` needs 3/);
  t.notRegex(error.message, /write/);
  t.deepEqual(failedReplicasOf(t, actions), {
    acks: 1,
    required: 3,
    replicas: ['n1 pending', 'n2 fresh', 'n3 pending'],
  });
});

test('a read fails UNAVAILABLE up front when too many replicas are down', (t) => {
  const read = readAt('all', 'background', [3]);
  const actions = read.start();
  t.deepEqual(typesOf(actions), ['fail', 'done']);
  t.is(errorOf(t, actions).code, 'UNAVAILABLE');
  t.regex(errorOf(t, actions).message, /\(n3 down\)/);
  t.deepEqual(failedReplicasOf(t, actions).replicas, ['n1 pending', 'n2 pending', 'n3 down']);
});

test('a replica going down that makes a read unreachable fails fast, then repairs what answered', (t) => {
  const read = readAt('all');
  read.start();
  read.onReadReply(1, fresh);
  read.onReadReply(2, old);
  const actions = read.onPeerDown(3);
  t.deepEqual(typesOf(actions), ['fail', 'repair']);
  const error = errorOf(t, actions);
  t.is(error.code, 'UNAVAILABLE');
  t.regex(error.message, /Replica 3 went down: only 2 of 3 replicas can answer/);
  t.notRegex(error.message, /write/);
  t.deepEqual(failedReplicasOf(t, actions).replicas, ['n1 fresh', 'n2 stale', 'n3 down']);
  t.deepEqual(read.onRepairAck(2, true), [
    repairEvent(2, fresh.ts, true, old.ts),
    { type: 'done' },
  ]);
});

test('an answer from a replica that is not in the replica set is ignored', (t) => {
  const read = readAt('one');
  read.start();
  t.deepEqual(read.onReadReply(7, fresh), []);
  t.deepEqual(read.onPeerDown(7), []);
});
