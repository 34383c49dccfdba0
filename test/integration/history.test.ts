import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { quartetBin } from '../../src/terminal/paths.js';
import { writeTestConfig } from '../helpers/cluster.js';

test('quartet run --history writes every operation and fault, and quartet check reads it', async (t) => {
  const { dir, configPath } = await writeTestConfig(t);
  const script = join(dir, 'scenario.kv');
  await writeFile(
    script,
    [
      'insert a 1 quorum => ok',
      'get a quorum => 1',
      'kill 3',
      'update a 2 quorum => ok',
      'restart 3',
      'get a all => 2',
    ].join('\n'),
  );
  const history = join(dir, 'history.jsonl');
  const run = await execa(
    quartetBin,
    ['run', script, '--config', configPath, '--dir', dir, '--history', history],
    { reject: false },
  );
  t.is(run.exitCode, 0, run.stderr);

  const records = (await readFile(history, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; fault?: string; op?: string });
  t.is(records[0]?.type, 'meta');
  t.is(records.filter((r) => r.type === 'invoke').length, 4);
  t.is(records.filter((r) => r.type === 'complete').length, 4);
  t.deepEqual(
    records.filter((r) => r.type === 'fault').map((r) => r.fault),
    ['crash', 'restart'],
  );

  const check = await execa(quartetBin, ['check', history, '--json'], { reject: false });
  t.is(check.exitCode, 0, check.stdout + check.stderr);
});

test('quartet run --history takes one batch file', async (t) => {
  const { dir, configPath } = await writeTestConfig(t);
  const script = join(dir, 'a.kv');
  await writeFile(script, 'get a one\n');
  const run = await execa(
    quartetBin,
    ['run', script, script, '--config', configPath, '--history', join(dir, 'h.jsonl')],
    { reject: false },
  );
  t.is(run.exitCode, 2);
  t.regex(run.stderr, /USAGE: --history records one batch file at a time/);
});
