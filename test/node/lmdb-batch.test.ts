import test from 'ava';
import { value } from '../core/arbitraries.js';
import { LmdbStore } from '../../src/node/storage/lmdb-store.js';
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
