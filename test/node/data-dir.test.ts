import test, { type ExecutionContext } from 'ava';
import { existsSync } from 'node:fs';
import { open, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QuartetError } from '../../src/core/errors.js';
import { checkDataDir, dataFileName, markerFileName } from '../../src/node/storage/data-dir.js';
import { LmdbStore, lmdbPageBytes } from '../../src/node/storage/lmdb-store.js';
import { value } from '../core/arbitraries.js';
import { makeTempDir } from './helpers.js';

const nodeId = 2;
const versionsCount = 2_000;

/** A value found only in the leaf page that holds its key (branch pages hold keys only). */
function valueOf(index: number): string {
  return `value of key ${index} `.padEnd(100, '.');
}

/** A data dir that node 2 created and filled, closed cleanly. */
async function makeFilledDataDir(t: ExecutionContext): Promise<{ dir: string; dataPath: string }> {
  const dir = join(await makeTempDir(t, 'data-dir'), 'node-2');
  await checkDataDir(dir, nodeId);
  const store = new LmdbStore(dir, 'sync');
  for (let i = 0; i < versionsCount; i++) void store.put(`key-${i}`, value(valueOf(i), i + 1));
  await store.close();
  return { dir, dataPath: join(dir, dataFileName) };
}

async function rejectsAsCorrupt(
  t: ExecutionContext,
  dir: string,
  namedPath: string,
  reason: RegExp,
): Promise<void> {
  const error = await t.throwsAsync(checkDataDir(dir, nodeId), { instanceOf: QuartetError });
  t.is((error as QuartetError).code, 'DATA_CORRUPT');
  t.true(error!.message.startsWith(`${namedPath}:`), error!.message);
  t.regex(error!.message, reason);
}

test('starts a fresh data dir and writes a marker naming the node', async (t) => {
  const dir = join(await makeTempDir(t, 'data-dir'), 'new', 'node-2');
  t.deepEqual(await checkDataDir(dir, nodeId), { fresh: true });
  const marker = JSON.parse(await readFile(join(dir, markerFileName), 'utf8')) as unknown;
  t.like(marker, { nodeId });
});

test('accepts a data dir the same node filled and closed', async (t) => {
  const { dir } = await makeFilledDataDir(t);
  t.deepEqual(await checkDataDir(dir, nodeId), { fresh: false });
});

test('accepts a data dir the node created but never wrote to', async (t) => {
  const dir = await makeTempDir(t, 'data-dir');
  await checkDataDir(dir, nodeId);
  await new LmdbStore(dir, 'batch').close();
  t.deepEqual(await checkDataDir(dir, nodeId), { fresh: false });
});

test('refuses a data dir that belongs to another node', async (t) => {
  const { dir } = await makeFilledDataDir(t);
  const error = await t.throwsAsync(checkDataDir(dir, 3), { instanceOf: QuartetError });
  t.is((error as QuartetError).code, 'DATA_CORRUPT');
  t.regex(error!.message, /belongs to node 2, not node 3/);
  t.true(error!.message.startsWith(join(dir, markerFileName)));
});

test('refuses a marker that is not valid JSON', async (t) => {
  const { dir } = await makeFilledDataDir(t);
  await writeFile(join(dir, markerFileName), '{ not json');
  await rejectsAsCorrupt(t, dir, join(dir, markerFileName), /not a valid marker/);
});

test('refuses to start empty when the data file is gone but the marker says it held data', async (t) => {
  const { dir, dataPath } = await makeFilledDataDir(t);
  await rm(dataPath);
  await rejectsAsCorrupt(t, dir, dataPath, /missing.*--fresh/);
});

test('refuses a data file with no marker beside it', async (t) => {
  const { dir, dataPath } = await makeFilledDataDir(t);
  await rm(join(dir, markerFileName));
  await rejectsAsCorrupt(t, dir, dataPath, /no quartet-node\.json beside it/);
  t.false(existsSync(join(dir, markerFileName)));
});

test('refuses a data file cut in the middle of a page', async (t) => {
  const { dir, dataPath } = await makeFilledDataDir(t);
  const { size } = await stat(dataPath);
  await truncate(dataPath, size - 100);
  await rejectsAsCorrupt(t, dir, dataPath, /not a whole number of 4096-byte pages/);
});

test('refuses an empty data file', async (t) => {
  const { dir, dataPath } = await makeFilledDataDir(t);
  await truncate(dataPath, 0);
  await rejectsAsCorrupt(t, dir, dataPath, /it is 0 bytes/);
});

test('refuses a data file truncated to fewer pages than it uses, without crashing', async (t) => {
  const { dir, dataPath } = await makeFilledDataDir(t);
  const pages = (await stat(dataPath)).size / lmdbPageBytes;
  await truncate(dataPath, Math.floor(pages / 2) * lmdbPageBytes);
  // Reading past the end of the mapped file kills the reader with SIGBUS: the probe child dies.
  await rejectsAsCorrupt(t, dir, dataPath, /crashed a test process with SIGBUS/);
});

test('refuses a data file whose page holding some versions was overwritten with garbage', async (t) => {
  const { dir, dataPath } = await makeFilledDataDir(t);
  const bytes = await readFile(dataPath);
  const needle = Buffer.from(valueOf(1_500));
  const garbage = Buffer.alloc(lmdbPageBytes, 0xa5);
  const file = await open(dataPath, 'r+');
  let overwritten = 0;
  try {
    for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
      const pageStart = at - (at % lmdbPageBytes);
      await file.write(garbage, 0, lmdbPageBytes, pageStart);
      overwritten++;
    }
  } finally {
    await file.close();
  }
  t.true(overwritten > 0);
  await rejectsAsCorrupt(t, dir, dataPath, /crashed|cannot be read/);
});
