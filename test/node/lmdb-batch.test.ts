import test from 'ava';
import { value } from '../core/arbitraries.js';
import { LmdbStore } from '../../src/node/storage/lmdb-store.js';
import { commitTurnsWaitedMax } from '../../src/node/storage/turn-commit.js';
import { makeTempDir } from './helpers.js';

test('lmdb batch: the puts of one event turn share one transaction', async (t) => {
  const dir = await makeTempDir(t, 'lmdb-batch');
  const store = new LmdbStore(dir, 'batch');
  t.teardown(() => store.close());
  const before = store.lastTxnId;
  const writes = Array.from({ length: 50 }, (_, index) => store.put(`k${index}`, value('b', 2)));
  await Promise.all(writes);
  t.is(store.lastTxnId - before, 1);
  t.is(store.size, 50);
});

test('lmdb batch: a lone put commits in a transaction of its own, committed when it resolves', async (t) => {
  const dir = await makeTempDir(t, 'lmdb-lone');
  const store = new LmdbStore(dir, 'batch');
  t.teardown(() => store.close());
  const before = store.lastTxnId;
  await store.put('alone', value('a', 1));
  t.is(store.lastTxnId - before, 1);
  await store.put('next', value('n', 2));
  t.is(store.lastTxnId - before, 2);
  t.deepEqual(store.get('alone'), value('a', 1));
  // Writes of one event-loop turn share one commit (one fsync), however many there are.
  await Promise.all(['x', 'y', 'z'].map((key, i) => store.put(key, value(key, 3 + i))));
  t.is(store.lastTxnId - before, 3, 'three puts of one turn, one transaction');
  t.deepEqual(store.get('z'), value('z', 5));
});

test('lmdb batch: while every turn brings another write, a commit waits for them, a bounded number of turns', async (t) => {
  const dir = await makeTempDir(t, 'lmdb-company');
  const store = new LmdbStore(dir, 'batch');
  t.teardown(() => store.close());
  const before = store.lastTxnId;
  // A write in each event-loop turn, as a replica sees under load: the first commit takes the
  // first write, one more that arrives by its own turn, and one per turn it waits.
  const shared = commitTurnsWaitedMax + 2;
  const committedIn: Promise<number>[] = [];
  await new Promise<void>((resolve) => {
    const arrive = (index: number) => {
      const put = Promise.resolve(store.put(`k${index}`, value('c', 1)));
      committedIn.push(put.then(() => store.lastTxnId - before));
      if (index === shared) resolve();
      else setImmediate(() => arrive(index + 1));
    };
    arrive(0);
  });
  const txns = await Promise.all(committedIn);
  t.deepEqual(txns, [...Array<number>(shared).fill(1), 2]);
  t.is(store.size, shared + 1);
});

test('lmdb sync: a write LMDB refuses fails alone; the rest of its turn is kept', async (t) => {
  const dir = await makeTempDir(t, 'lmdb-refused');
  const store = new LmdbStore(dir, 'sync');
  t.teardown(() => store.close());
  // LMDB keys are at most 1,978 bytes: this one makes the turn's transaction throw.
  const tooLong = 'k'.repeat(3000);
  const writes = [store.put('a', value('a', 1)), store.put(tooLong, value('x', 1))];
  writes.push(store.put('b', value('b', 1)));
  const settled = await Promise.allSettled(writes);
  t.deepEqual(
    settled.map((result) => result.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  t.deepEqual(store.get('a'), value('a', 1));
  t.deepEqual(store.get('b'), value('b', 1));
  t.is(store.get(tooLong), undefined);
});
