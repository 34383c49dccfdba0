import test from 'ava';
import { value } from '../core/arbitraries.js';
import {
  GroupCommit,
  groupCommitWritesMax,
  groupCommitsInFlightMax,
} from '../../src/node/storage/group-commit.js';
import { LmdbStore } from '../../src/node/storage/lmdb-store.js';
import { makeTempDir } from './helpers.js';

/** A write the test finishes by hand, to hold a commit in flight as long as it likes. */
function createHeldWrite() {
  let finish: (error?: Error) => void = () => {};
  let started = false;
  const apply = () => {
    started = true;
    return new Promise<void>((resolve, reject) => {
      finish = (error) => (error === undefined ? resolve() : reject(error));
    });
  };
  return { apply, finish: (error?: Error) => finish(error), isStarted: () => started };
}

/** Fills every commit slot with one held write each. */
function fillSlots(group: GroupCommit) {
  const writes = Array.from({ length: groupCommitsInFlightMax }, () => createHeldWrite());
  const done = writes.map((write) => group.submit(write.apply));
  return { writes, done };
}

test('a write that finds a free commit slot starts its commit at once', (t) => {
  const group = new GroupCommit();
  const write = createHeldWrite();
  void group.submit(write.apply);
  t.true(write.isStarted());
  t.is(group.commits, 1);
  t.is(group.inFlight, 1);
});

test('writes that arrive while every slot is taken wait, then share the next commit', async (t) => {
  const group = new GroupCommit();
  const slots = fillSlots(group);
  t.is(group.commits, groupCommitsInFlightMax);
  const later = Array.from({ length: 5 }, () => createHeldWrite());
  const laterDone = later.map((write) => group.submit(write.apply));
  t.false(later.some((write) => write.isStarted()));
  t.is(group.queued, 5);
  slots.writes[0]!.finish();
  await slots.done[0];
  t.true(later.every((write) => write.isStarted()));
  t.is(group.commits, groupCommitsInFlightMax + 1);
  for (const write of [...slots.writes, ...later]) write.finish();
  await Promise.all([...slots.done, ...laterDone]);
  t.is(group.inFlight, 0);
  await group.idle();
});

test('a write that fails fails alone and its group still commits', async (t) => {
  const group = new GroupCommit();
  const slots = fillSlots(group);
  const refused = group.submit(() => {
    throw new Error('key too large');
  });
  const second = createHeldWrite();
  const secondDone = group.submit(second.apply);
  slots.writes[0]!.finish();
  await slots.done[0];
  second.finish();
  await t.throwsAsync(refused, { message: 'key too large' });
  await secondDone;
  t.is(group.commits, groupCommitsInFlightMax + 1);
  for (const write of slots.writes) write.finish();
});

test('a group carries at most groupCommitWritesMax writes; the rest ride the one after', async (t) => {
  const group = new GroupCommit();
  const slots = fillSlots(group);
  const later = Array.from({ length: groupCommitWritesMax + 1 }, () => createHeldWrite());
  const done = later.map((write) => group.submit(write.apply));
  slots.writes[0]!.finish();
  await slots.done[0];
  t.is(later.filter((write) => write.isStarted()).length, groupCommitWritesMax);
  slots.writes[1]!.finish();
  await slots.done[1];
  t.true(later[groupCommitWritesMax]!.isStarted());
  for (const write of later) write.finish();
  await Promise.all(done);
  t.is(group.commits, groupCommitsInFlightMax + 2);
});

test('idle waits for every group in flight', async (t) => {
  const group = new GroupCommit();
  const slots = fillSlots(group);
  let idle = false;
  const waited = group.idle().then(() => (idle = true));
  slots.writes[0]!.finish();
  await slots.done[0];
  t.false(idle);
  slots.writes[1]!.finish();
  await waited;
  t.true(idle);
});

test('lmdb batch: puts past the free commit slots share one transaction', async (t) => {
  const dir = await makeTempDir(t, 'group-commit');
  const store = new LmdbStore(dir, 'batch');
  t.teardown(() => store.close());
  const before = store.lastTxnId;
  const writes = [];
  for (let index = 0; index < groupCommitsInFlightMax + 20; index++) {
    writes.push(store.put(`k${index}`, value('b', 2)));
  }
  t.is(store.get('k7')?.value, value('b', 2).value, 'a queued write is read back at once');
  await Promise.all(writes);
  // The first puts each took a free slot (lmdb-js commits one JS turn's writes together).
  t.is(store.groupCommits, groupCommitsInFlightMax + 1);
  t.true(store.lastTxnId - before <= store.groupCommits, 'at most one LMDB transaction per group');
  t.is(store.size, groupCommitsInFlightMax + 20);
});
