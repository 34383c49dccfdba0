import test, { type ExecutionContext } from 'ava';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import type { Durability } from '../../src/config/types.js';
import { QuartetError } from '../../src/core/errors.js';
import { MemoryHintTable } from '../../src/node/hints.js';
import { markerFileName } from '../../src/node/storage/data-dir.js';
import { LmdbHintTable } from '../../src/node/storage/lmdb-hint-table.js';
import { LmdbStore } from '../../src/node/storage/lmdb-store.js';
import {
  openStorage,
  type Storage,
  type StorageOptions,
} from '../../src/node/storage/open-storage.js';
import { value } from '../core/arbitraries.js';
import { createRecordingLogger, makeTempDir, type RecordingLogger } from './helpers.js';

const servers = ['127.0.0.1:10000', '127.0.0.1:10001', '127.0.0.1:10002'];

interface Opener {
  dataDir: string;
  logger: RecordingLogger;
  open(overrides?: Partial<StorageOptions>): Promise<Storage>;
}

/** Opens storage for node 1 in one temp data dir; every store opened is closed at teardown. */
async function makeOpener(t: ExecutionContext, durability: Durability = 'sync'): Promise<Opener> {
  const dataDir = join(await makeTempDir(t, 'open-storage'), 'node-1');
  const logger = createRecordingLogger();
  const opened: Storage[] = [];
  t.teardown(async () => {
    for (const storage of opened) await storage.store.close();
  });
  return {
    dataDir,
    logger,
    async open(overrides = {}) {
      const storage = await openStorage({
        nodeId: 1,
        config: parseConfig({ servers, durability }),
        logger,
        inMemory: false,
        dataDir,
        fresh: false,
        ...overrides,
      });
      opened.push(storage);
      return storage;
    },
  };
}

test('keeps everything in memory when asked to, without touching the data dir', async (t) => {
  const opener = await makeOpener(t);
  const storage = await opener.open({ inMemory: true });
  t.is(storage.store.kind, 'memory');
  t.true(storage.hints instanceof MemoryHintTable);
  t.is(storage.downForMs, undefined);
  t.notThrows(() => storage.markAlive());
  t.false(existsSync(opener.dataDir));
});

test('creates an LMDB store with the configured durability in a new data dir', async (t) => {
  const opener = await makeOpener(t, 'none');
  const storage = await opener.open();
  t.is(storage.store.kind, 'lmdb, durability none');
  t.true(storage.hints instanceof LmdbHintTable);
  t.is(storage.downForMs, undefined);
  t.true(existsSync(join(opener.dataDir, markerFileName)));
  t.deepEqual(
    opener.logger.lines.map((line) => line.message),
    [`created ${opener.dataDir} (0 versions)`],
  );
});

test('reopens the versions a node kept before it stopped', async (t) => {
  const opener = await makeOpener(t);
  const first = await opener.open();
  await first.store.put('k', value('kept', 1));
  await first.store.close();
  const second = await opener.open();
  t.deepEqual(second.store.get('k'), value('kept', 1));
  t.is(opener.logger.lines.at(-1)?.message, `opened ${opener.dataDir} (1 versions)`);
});

test('starts empty on purpose when asked for a fresh start', async (t) => {
  const opener = await makeOpener(t);
  const first = await opener.open();
  await first.store.put('k', value('old', 1));
  await first.store.close();
  const second = await opener.open({ fresh: true });
  t.is(second.store.size, 0);
  t.is(second.store.get('k'), undefined);
  t.is(opener.logger.lines.at(-1)?.message, `created ${opener.dataDir} (0 versions)`);
});

test('a fresh start takes over a data dir that belonged to another node', async (t) => {
  const opener = await makeOpener(t);
  const other = await opener.open({ nodeId: 2 });
  await other.store.close();
  await t.throwsAsync(opener.open(), { instanceOf: QuartetError, message: /belongs to node 2/ });
  const storage = await opener.open({ fresh: true });
  t.is(storage.store.size, 0);
});

test('reports how long the node was down since it last said it was alive', async (t) => {
  const opener = await makeOpener(t);
  const first = await opener.open();
  const lastAliveMs = Date.now() - 3_600_000;
  await (first.store as LmdbStore).putMeta('lastAliveMs', lastAliveMs);
  await first.store.close();
  const beforeMs = Date.now();
  const second = await opener.open();
  const afterMs = Date.now();
  t.true(second.downForMs! >= beforeMs - lastAliveMs);
  t.true(second.downForMs! <= afterMs - lastAliveMs);
});

test('reports a downtime after the node marked itself alive and stopped', async (t) => {
  const opener = await makeOpener(t);
  const first = await opener.open();
  first.markAlive();
  await first.store.close();
  const second = await opener.open();
  t.is(typeof second.downForMs, 'number');
  t.true(second.downForMs! >= 0);
});

test('reports no downtime for a node that never said it was alive', async (t) => {
  const opener = await makeOpener(t);
  await (await opener.open()).store.close();
  const second = await opener.open();
  t.is(second.downForMs, undefined);
});

test('reports no downtime after a fresh start', async (t) => {
  const opener = await makeOpener(t);
  const first = await opener.open();
  first.markAlive();
  await first.store.close();
  const second = await opener.open({ fresh: true });
  t.is(second.downForMs, undefined);
});
