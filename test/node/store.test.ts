import test, { type ExecutionContext } from 'ava';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Version } from '../../src/core/version.js';
import { LmdbStore, type Durability } from '../../src/node/storage/lmdb-store.js';
import { MemoryStore } from '../../src/node/storage/memory-store.js';
import type { Store } from '../../src/node/storage/store.js';
import { tombstone, value } from '../core/arbitraries.js';
import { makeTempDir } from './helpers.js';

interface StoreFactory {
  name: string;
  /** Whether a store opened again in the same place holds what the previous one kept. */
  persistent: boolean;
  /** Picks a place for one test and returns how to open a store there; teardown closes them. */
  place(t: ExecutionContext): Promise<() => Store>;
}

function sortedEntries(store: Store): [string, Version][] {
  return [...store.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

// The one suite every storage engine passes (hono's `common.case.test.ts` pattern).
function testStore(factory: StoreFactory): void {
  const title = (behaviour: string) => `${factory.name}: ${behaviour}`;
  const openStore = async (t: ExecutionContext): Promise<Store> => (await factory.place(t))();

  test(title('has nothing for a key it never stored'), async (t) => {
    const store = await openStore(t);
    t.is(store.get('missing'), undefined);
    t.is(store.size, 0);
    t.deepEqual([...store.entries()], []);
  });

  test(title('returns the version it stored'), async (t) => {
    const store = await openStore(t);
    await store.put('k', value('a', 1));
    t.deepEqual(store.get('k'), value('a', 1));
  });

  test(title('returns the last version put for a key'), async (t) => {
    const store = await openStore(t);
    await store.put('k', value('a', 1));
    await store.put('k', value('b', 2));
    t.deepEqual(store.get('k'), value('b', 2));
  });

  test(title('counts every put and remove in `changes`, and nothing else'), async (t) => {
    const store = await openStore(t);
    const before = store.changes;
    await store.put('k', value('a', 1));
    t.is(store.changes, before + 1);
    store.get('k');
    [...store.entries()];
    t.is(store.changes, before + 1);
    await store.put('k', tombstone(2));
    await store.remove('k');
    t.is(store.changes, before + 3);
  });

  test(title('keeps a tombstone as a version of the key'), async (t) => {
    const store = await openStore(t);
    await store.put('k', value('a', 1));
    await store.put('k', tombstone(2));
    t.deepEqual(store.get('k'), tombstone(2));
    t.is(store.size, 1);
    t.deepEqual(sortedEntries(store), [['k', tombstone(2)]]);
  });

  test(title('forgets a removed key'), async (t) => {
    const store = await openStore(t);
    await store.put('gone', value('a', 1));
    await store.put('kept', value('b', 1));
    await store.remove('gone');
    t.is(store.get('gone'), undefined);
    t.is(store.size, 1);
    t.deepEqual(sortedEntries(store), [['kept', value('b', 1)]]);
  });

  test(title('changes nothing when removing a key it does not hold'), async (t) => {
    const store = await openStore(t);
    await store.put('kept', value('a', 1));
    await store.remove('never-stored');
    t.is(store.size, 1);
    t.deepEqual(store.get('kept'), value('a', 1));
  });

  test(title('counts each key once however often it is written'), async (t) => {
    const store = await openStore(t);
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 10; i++) await store.put(`key-${i}`, value(`v${round}`, round));
    }
    t.is(store.size, 10);
  });

  test(title('lists every key it holds with its latest version'), async (t) => {
    const store = await openStore(t);
    const expected = new Map<string, Version>();
    for (let i = 0; i < 100; i++) {
      const key = `key-${String(i).padStart(3, '0')}`;
      await store.put(key, value('first', 1));
      expected.set(key, value('first', 1));
      if (i % 3 === 0) {
        await store.put(key, value('second', 2));
        expected.set(key, value('second', 2));
      }
      if (i % 5 === 0) {
        await store.remove(key);
        expected.delete(key);
      }
    }
    t.deepEqual(
      sortedEntries(store),
      [...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    t.is(store.size, expected.size);
  });

  test(title('sees its own writes before they are committed'), async (t) => {
    const store = await openStore(t);
    await store.put('old', value('committed', 1));
    const writes = [
      store.put('old', value('rewritten', 2)),
      store.put('new', value('pending', 1)),
      store.put('deleted', tombstone(3)),
    ];
    t.deepEqual(store.get('old'), value('rewritten', 2));
    t.deepEqual(store.get('new'), value('pending', 1));
    t.deepEqual(store.get('deleted'), tombstone(3));
    t.is(store.size, 3);
    t.deepEqual(sortedEntries(store), [
      ['deleted', tombstone(3)],
      ['new', value('pending', 1)],
      ['old', value('rewritten', 2)],
    ]);
    await Promise.all(writes);
    t.deepEqual(store.get('new'), value('pending', 1));
  });

  test(title('sees its own removes before they are committed'), async (t) => {
    const store = await openStore(t);
    await store.put('a', value('x', 1));
    await store.put('b', value('y', 1));
    const removed = store.remove('a');
    t.is(store.get('a'), undefined);
    t.is(store.size, 1);
    t.deepEqual(sortedEntries(store), [['b', value('y', 1)]]);
    await removed;
    t.is(store.get('a'), undefined);
  });

  test(
    title('reads its latest write of a key while earlier writes of it still commit'),
    async (t) => {
      const store = await openStore(t);
      const writesCount = 300;
      let latest: Version | undefined;
      let staleReads = 0;
      const checkLatest = () => {
        if (store.get('k')?.value !== latest?.value) staleReads++;
      };
      const commits: Promise<void>[] = [];
      for (let i = 0; i < writesCount; i++) {
        latest = i % 2 === 0 ? value(`v${i}`, i + 1) : undefined;
        const written = latest === undefined ? store.remove('k') : store.put('k', latest);
        checkLatest();
        commits.push(Promise.resolve(written).then(checkLatest));
        // Spread the writes over several commits, so earlier ones finish while later ones wait.
        await nextTurn();
      }
      await Promise.all(commits);
      t.is(staleReads, 0);
      t.deepEqual(store.get('k'), undefined);
      t.is(store.size, 0);
    },
  );

  test(title('closes once it is done'), async (t) => {
    const store = await openStore(t);
    await store.put('k', value('a', 1));
    await t.notThrowsAsync(store.close());
  });

  test(title('counts its tombstones as they are written, overwritten and removed'), async (t) => {
    const store = await openStore(t);
    t.is(store.tombstones, 0);
    await store.put('a', tombstone(1));
    await store.put('b', value('x', 1));
    t.is(store.tombstones, 1);
    await store.put('b', tombstone(2));
    t.is(store.tombstones, 2);
    await store.put('a', value('back', 3));
    t.is(store.tombstones, 1);
    await store.remove('b');
    t.is(store.tombstones, 0);
  });

  if (factory.persistent) {
    test(title('reports the newest timestamp it held when it opened'), async (t) => {
      const open = await factory.place(t);
      const first = open();
      t.is(first.newestAtOpen, undefined);
      await first.put('a', value('x', 5));
      await first.put('b', tombstone(9));
      await first.put('c', value('y', 2));
      await first.close();
      t.deepEqual(open().newestAtOpen, tombstone(9).ts);
    });

    test(title('counts the tombstones it finds when it opens'), async (t) => {
      const open = await factory.place(t);
      const first = open();
      await first.put('a', tombstone(1));
      await first.put('b', value('x', 1));
      await first.close();
      t.is(open().tombstones, 1);
    });

    test(title('keeps every write it accepted across a close and a reopen'), async (t) => {
      const open = await factory.place(t);
      const first = open();
      for (let i = 0; i < 50; i++) void first.put(`key-${i}`, value(`v${i}`, i + 1));
      void first.remove('key-7');
      await first.close();
      const second = open();
      t.is(second.size, 49);
      t.deepEqual(second.get('key-3'), value('v3', 4));
      t.is(second.get('key-7'), undefined);
    });
  }
}

testStore({
  name: 'memory store',
  persistent: false,
  async place(t) {
    return () => {
      const store = new MemoryStore();
      t.teardown(() => store.close());
      return store;
    };
  },
});

async function placeLmdb(t: ExecutionContext, durability: Durability): Promise<() => LmdbStore> {
  const dir = await makeTempDir(t, `store-${durability}`);
  const opened: LmdbStore[] = [];
  // Registered after the directory's removal, so it runs first: stores close before rm.
  t.teardown(async () => {
    for (const store of opened) await store.close();
  });
  return () => {
    const store = new LmdbStore(dir, durability);
    opened.push(store);
    return store;
  };
}

for (const durability of ['sync', 'batch', 'none'] as const) {
  testStore({
    name: `lmdb store (durability ${durability})`,
    persistent: true,
    place: (t) => placeLmdb(t, durability),
  });
}

test('lmdb store: keeps metadata apart from versions and across a reopen', async (t) => {
  const open = await placeLmdb(t, 'sync');
  const first = open();
  await first.put('k', value('a', 1));
  await first.putMeta('lastAliveMs', 1234);
  t.is(first.getMeta<number>('lastAliveMs'), 1234);
  t.is(first.size, 1);
  t.deepEqual(sortedEntries(first), [['k', value('a', 1)]]);
  await first.close();
  const second = open();
  t.is(second.getMeta<number>('lastAliveMs'), 1234);
  t.is(second.getMeta('never-set'), undefined);
});

test('lmdb store: opens a named table in the same file that survives a reopen', async (t) => {
  const open = await placeLmdb(t, 'batch');
  const first = open();
  await first.openTable<{ n: number }>('extra').put('row', { n: 7 });
  await first.close();
  const second = open();
  t.deepEqual(second.openTable<{ n: number }>('extra').get('row'), { n: 7 });
  t.is(second.size, 0);
});

test('lmdb store: names its durability in its kind', async (t) => {
  const open = await placeLmdb(t, 'none');
  t.is(open().kind, 'lmdb, durability none');
});
