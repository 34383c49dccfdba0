import test from 'ava';
import { value } from '../core/arbitraries.js';
import { GroupCommit, groupCommitWritesMax } from '../../src/node/storage/group-commit.js';
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
