import test from 'ava';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatHistory } from '../../src/check/history.js';
import { HistoryBuilder } from '../check/history-builder.js';

const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
const quartet = join(repoRoot, 'bin', 'quartet');

function findRepoRoot(start: string): string {
  let directory = start;
  while (!existsSync(join(directory, 'package.json'))) directory = dirname(directory);
  return directory;
}

async function inTempDir<T>(use: (directory: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), 'quartet-sim-cli-'));
  try {
    return await use(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

const run = (args: string[]) =>
  execa(process.execPath, [quartet, ...args], { reject: false, env: { NO_COLOR: '1' } });

test('`quartet sim --seed` writes the same history in two processes and `check` passes it', (t) =>
  inTempDir(async (directory) => {
    const [a, b] = [join(directory, 'a.jsonl'), join(directory, 'b.jsonl')];
    const first = await run(['sim', '--seed', '11', '--history', a]);
    const second = await run(['sim', '--seed', '11', '--history', b]);
    t.is(first.exitCode, 0, first.stderr);
    t.is(second.exitCode, 0, second.stderr);
    t.is(await readFile(a, 'utf8'), await readFile(b, 'utf8'));
    t.regex(first.stdout, /replay: npx quartet sim --seed 11/);
    const checked = await run(['check', a]);
    t.is(checked.exitCode, 0, checked.stdout);
    t.regex(checked.stdout, /OK: no promise of the levels is broken/);
  }));

test('`quartet check` exits 1 and names the operations when a promise is broken', (t) =>
  inTempDir(async (directory) => {
    const h = new HistoryBuilder();
    h.write({ value: 'a', at: [0, 10], ts: 1, acks: [1, 2] });
    h.read({ at: [20, 30], value: null, answered: [2, 3] });
    const path = join(directory, 'bad.jsonl');
    await writeFile(path, formatHistory(h.records));
    const checked = await run(['check', path]);
    t.is(checked.exitCode, 1);
    t.regex(checked.stdout, /stale-read k: #2 get k → not found \(quorum\)/);
    const json = await run(['check', path, '--json']);
    t.is(json.exitCode, 1);
    t.false((JSON.parse(json.stdout) as { ok: boolean }).ok);
  }));

test('`quartet check` names the line of a malformed history', (t) =>
  inTempDir(async (directory) => {
    const path = join(directory, 'broken.jsonl');
    await writeFile(path, '{"type":"quiet","time":1}\n{"type":"invoke"}\n');
    const checked = await run(['check', path]);
    t.is(checked.exitCode, 1);
    t.regex(checked.stderr, /broken\.jsonl:2: not a history record/);
  }));

test('`quartet sim --seeds` sums up the runs', async (t) => {
  const result = await run(['sim', '--seeds', '30', '--from', '100']);
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stdout, /30 seeds \(100\.\.129\)/);
  t.regex(result.stdout, /OK: no seed broke a promise/);
});

test('`quartet sim --pbs` prints the simulated and predicted staleness side by side', async (t) => {
  const config = join(repoRoot, 'configs', 'default.json');
  const args = ['sim', '--pbs', '--config', config, '--trials', '200', '--levels', 'one/one'];
  const result = await run([...args, '--t-max', '3000', '--t-step', '1000']);
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stdout, /one\/one sim/);
  t.regex(result.stdout, /one\/one PBS/);
  t.regex(result.stdout, /^\s*│?\s*3000 │/m);
});
