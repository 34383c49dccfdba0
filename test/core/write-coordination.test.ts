import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { requiredAnswers, type LevelName } from '../../src/core/levels.js';
import { tombstone, value } from './arbitraries.js';
import {
  answerOrderArbitrary,
  coordinator,
  errorOf,
  failedReplicasOf,
  key,
  replicas,
  resultOf,
  typesOf,
  writeAt,
} from './coordination.js';
import { holds } from './property.js';

test('a write at one answers after the first ack, with the other replicas pending', (t) => {
  const version = value('hello', 100);
  const write = writeAt('one', version);
  t.deepEqual(write.start(), [
    { type: 'write', to: 1, version },
    { type: 'write', to: 2, version },
    { type: 'write', to: 3, version },
  ]);
  t.deepEqual(write.onAck(2, true), [
    {
      type: 'respond',
      result: {
        op: 'insert',
        key,
        level: 'one',
        coordinator,
        required: 1,
        acks: 1,
        value: 'hello',
        found: true,
        ts: version.ts,
        replicas: [
          { node: 1, state: 'pending' },
          { node: 2, state: 'fresh', ts: version.ts, created: true },
          { node: 3, state: 'pending' },
        ],
      },
    },
  ]);
  t.false(write.isFinished, 'the other acks are still awaited');
  t.deepEqual(write.onAck(1, false), []);
  t.deepEqual(write.onAck(3, false), [{ type: 'done' }]);
  t.true(write.isFinished);
});

test('a write at all waits for every replica before answering', (t) => {
  const write = writeAt('all', value('v', 100));
  write.start();
  t.deepEqual(write.onAck(3, true), []);
  t.deepEqual(write.onAck(1, true), []);
  const actions = write.onAck(2, false);
  t.deepEqual(typesOf(actions), ['respond', 'done']);
  const result = resultOf(t, actions);
  t.is(result.acks, 3);
  t.deepEqual(
    result.replicas.map((replica) => [replica.node, replica.state, replica.created]),
    [
      [1, 'fresh', true],
      [2, 'fresh', false],
      [3, 'fresh', true],
    ],
  );
});

test('a delete answers not found and reports the tombstone it wrote', (t) => {
  const deletion = tombstone(300);
  const write = writeAt('quorum', deletion);
  write.start();
  write.onAck(1, false);
  const result = resultOf(t, write.onAck(2, false));
  t.is(result.op, 'delete');
  t.is(result.value, null);
  t.false(result.found);
  t.deepEqual(result.ts, deletion.ts);
});

test('a second ack from the same replica is not counted twice', (t) => {
  const write = writeAt('quorum', value('v', 100));
  write.start();
  t.deepEqual(write.onAck(1, true), []);
  t.deepEqual(write.onAck(1, true), []);
  t.deepEqual(typesOf(write.onAck(3, true)), ['respond']);
});

test('a write fails UNAVAILABLE up front when too many replicas are down, and sends nothing', (t) => {
  const write = writeAt('quorum', value('v', 100), [1, 3]);
  const actions = write.start();
  t.deepEqual(typesOf(actions), ['fail', 'done']);
  const error = errorOf(t, actions);
  t.is(error.code, 'UNAVAILABLE');
  t.regex(error.message, /`quorum` needs 2 replicas but only 1 of 3 are reachable \(n1, n3 down\)/);
  t.deepEqual(failedReplicasOf(t, actions), {
    acks: 0,
    required: 2,
    replicas: ['n1 down', 'n2 pending', 'n3 down'],
  });
  t.true(write.isFinished);
  t.deepEqual(write.onAck(2, true), [], 'a finished write ignores late events');
});

test('a write skips replicas known to be down and reports them as down', (t) => {
  const version = value('v', 100);
  const write = writeAt('quorum', version, [2]);
  t.deepEqual(write.start(), [
    { type: 'write', to: 1, version },
    { type: 'write', to: 3, version },
  ]);
  write.onAck(1, true);
  const actions = write.onAck(3, true);
  t.deepEqual(typesOf(actions), ['respond', 'done']);
  t.deepEqual(
    resultOf(t, actions).replicas.map((replica) => replica.state),
    ['fresh', 'down', 'fresh'],
  );
});

test('a replica going down that makes the level unreachable fails the write fast with UNAVAILABLE', (t) => {
  const write = writeAt('all', value('v', 100));
  write.start();
  write.onAck(1, true);
  const actions = write.onPeerDown(2);
  t.deepEqual(typesOf(actions), ['fail']);
  const error = errorOf(t, actions);
  t.is(error.code, 'UNAVAILABLE');
  t.regex(error.message, /Replica 2 went down/);
  t.regex(error.message, /only 2 of 3 replicas can answer, level `all` needs 3/);
  t.regex(error.message, /applied on 1 replica/);
  t.deepEqual(failedReplicasOf(t, actions).replicas, ['n1 fresh', 'n2 down', 'n3 pending']);
  t.deepEqual(write.onAck(3, true), [{ type: 'done' }], 'no answer after the failure');
});

test('a replica going down while the level is still reachable changes nothing yet', (t) => {
  const write = writeAt('quorum', value('v', 100));
  write.start();
  t.deepEqual(write.onPeerDown(2), []);
  write.onAck(1, true);
  const actions = write.onAck(3, true);
  t.deepEqual(typesOf(actions), ['respond', 'done']);
  t.is(resultOf(t, actions).replicas[1]!.state, 'down');
});

test('a write that times out before enough acks says k of n answered and that it may have been applied', (t) => {
  const write = writeAt('all', value('v', 100));
  write.start();
  write.onAck(3, true);
  const actions = write.onTimeout();
  t.deepEqual(typesOf(actions), ['fail', 'done']);
  const error = errorOf(t, actions);
  t.is(error.code, 'TIMEOUT');
  t.regex(error.message, /1 of 3 replicas answered/);
  t.regex(error.message, /level `all` needs 3/);
  t.regex(error.message, /write was applied on 1 replica/);
  t.deepEqual(failedReplicasOf(t, actions), {
    acks: 1,
    required: 3,
    replicas: ['n1 pending', 'n2 pending', 'n3 fresh'],
  });
  t.deepEqual(write.onAck(1, true), [], 'acks after the deadline are ignored');
});

test('a write that times out with no ack at all still says it may have been applied', (t) => {
  const write = writeAt('one', value('v', 100));
  write.start();
  const error = errorOf(t, write.onTimeout());
  t.is(error.code, 'TIMEOUT');
  t.regex(error.message, /0 of 3 replicas answered/);
  t.regex(error.message, /may still have been applied/);
});

test('a write that already answered just stops waiting at the deadline', (t) => {
  const write = writeAt('one', value('v', 100));
  write.start();
  write.onAck(1, true);
  t.deepEqual(write.onTimeout(), [{ type: 'done' }]);
  t.deepEqual(write.onTimeout(), [], 'a finished write ignores another deadline');
});

test('a write answers exactly when the level’s number of replicas acknowledged', (t) => {
  holds(
    t,
    fc.property(
      fc.constantFrom<LevelName>('one', 'two', 'quorum', 'three', 'all'),
      answerOrderArbitrary,
      (level, order) => {
        const write = writeAt(level, value('v', 100));
        write.start();
        const required = requiredAnswers(level, replicas.length);
        order.forEach((node, i) => {
          const types = typesOf(write.onAck(node, false));
          assert.equal(types.includes('respond'), i + 1 === required, `ack ${i + 1}`);
          assert.equal(types.includes('done'), i + 1 === replicas.length, `ack ${i + 1}`);
        });
      },
    ),
  );
});
