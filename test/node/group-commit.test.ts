import test from 'ava';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { value } from '../core/arbitraries.js';
import { GroupCommit, groupCommitWritesMax } from '../../src/node/storage/group-commit.js';
import { LmdbStore } from '../../src/node/storage/lmdb-store.js';
import { makeTempDir } from './helpers.js';

/** A write the test commits and flushes by hand, to hold a commit in flight as long as it likes. */
function createHeldWrite() {
  const hold = () => {
    let settle: (error?: Error) => void = () => {};
    const promise = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    return { promise, settle: (error?: Error) => settle(error) };
  };
  const committed = hold();
  const flushed = hold();
  let started = false;
  const apply = () => {
    started = true;
    return { committed: committed.promise, flushed: flushed.promise };
  };
  return {
    apply,
    commit: committed.settle,
    flush: flushed.settle,
    /** Commits and flushes it. */
    finish: (error?: Error) => {
      committed.settle(error);
      flushed.settle(error);
    },
    isStarted: () => started,
  };
}

test('a write that finds nothing pending starts its commit at once', (t) => {
  const group = new GroupCommit();
  const write = createHeldWrite();
  void group.submit(write.apply);
  t.true(write.isStarted());
  t.is(group.commits, 1);
  t.true(group.inFlight);
});

test('writes that arrive during a commit wait for it and then share the next one', async (t) => {
  const group = new GroupCommit();
  const first = createHeldWrite();
  const firstDone = group.submit(first.apply);
  const later = Array.from({ length: 5 }, () => createHeldWrite());
  const laterDone = later.map((write) => group.submit(write.apply));
  t.false(later.some((write) => write.isStarted()));
  t.is(group.queued, 5);
  first.finish();
  await firstDone;
  t.true(later.every((write) => write.isStarted()));
  t.is(group.commits, 2);
  for (const write of later) write.finish();
  await Promise.all(laterDone);
  t.false(group.inFlight);
  await group.idle();
});

test('the next group starts once a commit is done, while its fsync still runs', async (t) => {
  const group = new GroupCommit();
  const first = createHeldWrite();
  let firstFlushed = false;
  const firstDone = group.submit(first.apply).then(() => (firstFlushed = true));
  const second = createHeldWrite();
  const secondDone = group.submit(second.apply);
  first.commit();
  await nextTurn(); // every promise callback of the commit has run
  t.true(second.isStarted(), 'the second group commits while the first one flushes');
  t.false(firstFlushed, 'a write is not answered before its flush');
  let idle = false;
  void group.idle().then(() => (idle = true));
  second.finish();
  await secondDone;
  t.false(idle, 'not idle while a flush runs');
  first.flush();
  await firstDone;
  await group.idle();
  t.true(firstFlushed);
});

test('a write that fails fails alone and its group still commits', async (t) => {
  const group = new GroupCommit();
  const first = createHeldWrite();
  const firstDone = group.submit(first.apply);
  const refused = group.submit(() => {
    throw new Error('key too large');
  });
  const second = createHeldWrite();
  const secondDone = group.submit(second.apply);
  first.finish();
  await firstDone;
  second.finish();
  await t.throwsAsync(refused, { message: 'key too large' });
  await secondDone;
  t.is(group.commits, 2);
});

test('a group carries at most groupCommitWritesMax writes; the rest ride the one after', async (t) => {
  const group = new GroupCommit();
  const first = createHeldWrite();
  const done = [group.submit(first.apply)];
  const later = Array.from({ length: groupCommitWritesMax + 1 }, () => createHeldWrite());
  done.push(...later.map((write) => group.submit(write.apply)));
  first.finish();
  await done[0];
  t.is(later.filter((write) => write.isStarted()).length, groupCommitWritesMax);
  for (const write of later.slice(0, groupCommitWritesMax)) write.finish();
  await Promise.all(done.slice(1, groupCommitWritesMax + 1));
  t.true(later[groupCommitWritesMax]!.isStarted());
  later[groupCommitWritesMax]!.finish();
  await Promise.all(done);
  t.is(group.commits, 3);
});

test('lmdb batch: a lone put commits at once and the puts after it share one transaction', async (t) => {
  const dir = await makeTempDir(t, 'group-commit');
  const store = new LmdbStore(dir, 'batch');
  t.teardown(() => store.close());
  const before = store.lastTxnId;
  const writes = [store.put('lone', value('a', 1))];
  for (let index = 0; index < 20; index++) writes.push(store.put(`k${index}`, value('b', 2)));
  t.is(store.get('k7')?.value, value('b', 2).value, 'a queued write is read back at once');
  await Promise.all(writes);
  t.is(store.groupCommits, 2);
  t.is(store.lastTxnId - before, 2, 'one LMDB transaction per group');
  t.is(store.size, 21);
});
