import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import type { ReadRepairMode } from '../../src/core/coordinator.js';
import type { ErrorRecord } from '../../src/core/errors.js';
import { compareVersions, newestVersion } from '../../src/core/version.js';
import { value, versionArbitrary } from './arbitraries.js';
import {
  answerOrderArbitrary,
  coordinator,
  fresh,
  key,
  old,
  readAt,
  replicas,
  repair,
  repairEvent,
  resultOf,
  typesOf,
} from './coordination.js';
import { holds } from './property.js';

const replicaVersionsArbitrary = fc.tuple(
  fc.option(versionArbitrary, { nil: undefined }),
  fc.option(versionArbitrary, { nil: undefined }),
  fc.option(versionArbitrary, { nil: undefined }),
);

test('background repair after the answer repairs only the stale and missing replicas', (t) => {
  const read = readAt('one');
  read.start();
  read.onReadReply(2, old);
  t.deepEqual(read.onReadReply(1, fresh), [repair(2, fresh)], 'the newer answer shows 2 behind');
  t.deepEqual(read.onReadReply(3, undefined), [repair(3, fresh)], 'and 3 has nothing');
  t.false(read.isFinished, 'repairs are in flight');
  t.deepEqual(read.onRepairAck(2, true, old.ts), [repairEvent(2, fresh.ts, true, old.ts)]);
  t.deepEqual(read.onRepairAck(3, true), [repairEvent(3, fresh.ts, true), { type: 'done' }]);
  t.true(read.isFinished);
});

test('a repair event names the version the replica really had before the repair', (t) => {
  const read = readAt('all');
  read.start();
  read.onReadReply(1, fresh);
  read.onReadReply(2, fresh);
  read.onReadReply(3, old);
  const older = value('older', 50);
  t.deepEqual(read.onRepairAck(3, true, older.ts), [
    repairEvent(3, fresh.ts, true, older.ts),
    { type: 'done' },
  ]);
});

test('blocking read repair sends the repairs before it answers', (t) => {
  const read = readAt('quorum', 'blocking');
  read.start();
  t.deepEqual(read.onReadReply(1, fresh), []);
  t.deepEqual(read.onReadReply(2, old), [repair(2, fresh)], 'no answer while the repair runs');
  const actions = read.onRepairAck(2, true, old.ts);
  t.deepEqual(typesOf(actions), ['repair-event', 'respond']);
  const result = resultOf(t, actions);
  t.is(result.value, 'new');
  t.is(result.replicas[1]!.state, 'stale', 'the report shows what the replica answered');
  t.deepEqual(read.onReadReply(3, fresh), [{ type: 'done' }]);
});

test('blocking read repair answers at once when the contacted replicas agree', (t) => {
  const read = readAt('quorum', 'blocking');
  read.start();
  read.onReadReply(1, fresh);
  t.deepEqual(typesOf(read.onReadReply(3, fresh)), ['respond']);
  t.deepEqual(read.onReadReply(2, old), [repair(2, fresh)], 'a late stale answer is repaired');
});

test('with read repair off a stale replica is reported but never repaired', (t) => {
  const read = readAt('quorum', 'off');
  read.start();
  read.onReadReply(1, fresh);
  const actions = read.onReadReply(2, old);
  t.deepEqual(typesOf(actions), ['respond']);
  t.is(resultOf(t, actions).replicas[1]!.state, 'stale');
  t.deepEqual(read.onReadReply(3, undefined), [{ type: 'done' }]);
});

test('with read repair off a deadline repairs nothing either', (t) => {
  const read = readAt('one', 'off');
  read.start();
  read.onReadReply(1, fresh);
  read.onReadReply(2, old);
  t.deepEqual(read.onTimeout(), [{ type: 'done' }]);
});

test('a read that times out still repairs the replicas that answered stale', (t) => {
  const read = readAt('all');
  read.start();
  read.onReadReply(1, fresh);
  read.onReadReply(2, old);
  t.deepEqual(typesOf(read.onTimeout()), ['fail', 'repair', 'rearm']);
});

test('a deadline reached while a repair is in flight rearms, then reports the repair as timed out', (t) => {
  const read = readAt('all');
  read.start();
  read.onReadReply(1, fresh);
  read.onReadReply(2, fresh);
  t.deepEqual(typesOf(read.onReadReply(3, old)), ['respond', 'repair']);
  t.deepEqual(read.onTimeout(), [{ type: 'rearm' }]);
  t.false(read.isFinished);
  const [event, done, ...rest] = read.onTimeout();
  t.deepEqual(rest, []);
  t.deepEqual(done, { type: 'done' });
  assert.ok(event?.type === 'repair-event');
  t.like(event.event, { key, node: 3, coordinator, from: old.ts, to: fresh.ts, applied: false });
  t.is(event.event.error?.code, 'TIMEOUT');
  t.regex(event.event.error?.message ?? '', /Replica 3 did not confirm the repair/);
  t.true(read.isFinished);
  t.deepEqual(read.onRepairAck(3, true), [], 'a confirmation after the end is ignored');
});

test('background repair does not wait for a silent replica, and the deadline then ends the read', (t) => {
  const read = readAt('one');
  read.start();
  read.onReadReply(1, fresh);
  t.deepEqual(read.onReadReply(2, old), [repair(2, fresh)], 'repaired while 3 is still silent');
  t.deepEqual(read.onRepairAck(2, true, old.ts), [repairEvent(2, fresh.ts, true, old.ts)]);
  t.false(read.isFinished, 'replica 3 may still answer');
  t.deepEqual(read.onTimeout(), [{ type: 'done' }]);
});

test('a replica repaired with a version that a later answer shows outdated is repaired again', (t) => {
  const newest = value('newest', 300, 0, 3);
  const read = readAt('one');
  read.start();
  read.onReadReply(1, fresh);
  t.deepEqual(read.onReadReply(2, old), [repair(2, fresh)]);
  t.deepEqual(read.onReadReply(3, newest), [repair(1, newest)], '2 is still being repaired');
  t.deepEqual(read.onRepairAck(2, true, old.ts), [
    repairEvent(2, fresh.ts, true, old.ts),
    repair(2, newest),
  ]);
  t.deepEqual(read.onRepairAck(1, true, fresh.ts), [repairEvent(1, newest.ts, true, fresh.ts)]);
  t.deepEqual(read.onRepairAck(2, true, fresh.ts), [
    repairEvent(2, newest.ts, true, fresh.ts),
    { type: 'done' },
  ]);
});

test('a repair confirmed after the deadline ends the read even though a replica never answered', (t) => {
  const read = readAt('quorum');
  read.start();
  read.onReadReply(1, fresh);
  t.deepEqual(typesOf(read.onReadReply(2, old)), ['respond', 'repair']);
  t.deepEqual(read.onTimeout(), [{ type: 'rearm' }], 'replica 3 is given up on');
  t.deepEqual(read.onRepairAck(2, true, old.ts), [
    repairEvent(2, fresh.ts, true, old.ts),
    { type: 'done' },
  ]);
  t.deepEqual(read.onReadReply(3, old), [], 'an answer after the end is ignored');
});

test('a failed repair is reported with its error', (t) => {
  const read = readAt('all');
  read.start();
  read.onReadReply(1, fresh);
  read.onReadReply(2, fresh);
  read.onReadReply(3, old);
  const error: ErrorRecord = { code: 'INTERNAL', message: 'disk full' };
  const actions = read.onRepairFailed(3, error);
  t.deepEqual(actions, [
    { type: 'repair-event', event: { ...repairEvent(3, fresh.ts, false, old.ts).event, error } },
    { type: 'done' },
  ]);
});

test('a read at all answers with the newest version and repairs each older replica exactly once', (t) => {
  holds(
    t,
    fc.property(
      replicaVersionsArbitrary,
      answerOrderArbitrary,
      fc.constantFrom<ReadRepairMode>('background', 'blocking'),
      (versions, order, mode) => {
        const held = new Map(replicas.map((node, i) => [node, versions[i]]));
        const newest = newestVersion(versions);
        const read = readAt('all', mode);
        const actions = read.start();
        for (const node of order) actions.push(...read.onReadReply(node, held.get(node)));
        const repairs = actions.filter((action) => action.type === 'repair');
        for (const action of repairs) actions.push(...read.onRepairAck(action.to, true));

        const responds = actions.filter((action) => action.type === 'respond');
        assert.equal(responds.length, 1);
        const result = responds[0]!.result;
        assert.deepEqual(result.ts, newest?.ts);
        assert.equal(result.value, newest?.value ?? null);

        const behind = replicas.filter((node) => {
          const version = held.get(node);
          if (newest === undefined) return false;
          return version === undefined || compareVersions(version, newest) < 0;
        });
        assert.deepEqual(
          repairs.map((action) => action.to).sort((a, b) => a - b),
          behind,
        );
        for (const action of repairs) assert.deepEqual(action.version, newest);
        if (mode === 'blocking') {
          assert.ok(actions.indexOf(responds[0]!) > actions.lastIndexOf(repairs.at(-1)!));
        }
        assert.deepEqual(actions.at(-1), { type: 'done' });
        assert.equal(typesOf(actions).filter((type) => type === 'done').length, 1);
      },
    ),
  );
});
