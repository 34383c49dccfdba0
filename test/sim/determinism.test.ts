import test from 'ava';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatHistory, HistoryWriter } from '../../src/check/history.js';
import { readHistoryFile } from '../../src/check/parse-history.js';
import { randomScenario } from '../../src/sim/random-scenario.js';
import { runScenario } from '../../src/sim/run-scenario.js';

const hashOf = async (seed: number) =>
  createHash('sha256')
    .update(formatHistory((await runScenario(randomScenario(seed))).records))
    .digest('hex');

test('the same seed gives the same history, byte for byte', async (t) => {
  for (const seed of [1, 2, 42, 1234]) t.is(await hashOf(seed), await hashOf(seed), `seed ${seed}`);
});

test('different seeds give different histories', async (t) => {
  const hashes = new Set<string>();
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) hashes.add(await hashOf(seed));
  t.is(hashes.size, 8);
});

test('a history written with HistoryWriter reads back the same', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'quartet-history-'));
  try {
    const path = join(directory, 'history.jsonl');
    const { records } = await runScenario(randomScenario(7));
    const writer = new HistoryWriter(path);
    for (const record of records) writer.append(record);
    await writer.close();
    t.deepEqual(await readHistoryFile(path), records);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('every history starts with its meta record and has two dumps per node: repaired, final', async (t) => {
  const scenario = randomScenario(9);
  const { records } = await runScenario(scenario);
  t.is(records[0]?.type, 'meta');
  const dumps = records.filter((record) => record.type === 'dump');
  const nodes = scenario.config.servers.length;
  t.is(dumps.filter((dump) => dump.phase === 'repaired').length, nodes);
  t.is(dumps.filter((dump) => dump.phase === undefined).length, nodes);
  t.is(records.at(-1)?.type, 'dump');
  t.is(records.filter((record) => record.type === 'quiet').length, 1);
  const invokes = records.filter((record) => record.type === 'invoke').length;
  t.is(records.filter((record) => record.type === 'complete').length, invokes);
});
