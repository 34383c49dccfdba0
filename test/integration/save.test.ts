import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { quartetBin } from '../../src/terminal/paths.js';
import { writeTestConfig } from '../helpers/cluster.js';

interface RunLine {
  type: string;
  op?: string;
  file?: string;
  source?: string;
  ok?: boolean;
  error?: { code: string; message: string };
  assertions?: { text: string; ok: boolean; message?: string }[];
}

function parseJsonLines(stdout: string): RunLine[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RunLine);
}

// Stale reads made by dropped writes, a partition, a timeout, a bad line and an inspection.
const session = [
  'insert 5 old all',
  'loss 1->2 100%',
  'update 5 new quorum',
  'loss 1->2 0%',
  '@2 get 5 one',
  'wait repairs',
  '@2 get 5 one',
  'insert 3 before all',
  'partition 1,2 | 3,4',
  '@4 update 3 after quorum',
  '@1 get 3 one',
  '@1 get 3 quorum',
  'heal',
  'get 3 all',
  // n4's hint for n1 stays behind the loss, so n3's read repair is what brings n1 up to date.
  'loss 4->1 100%',
  '@4 update 3 again quorum',
  '@3 get 3 all',
  'loss 4->1 0%',
  'get "no such key"',
  'frobnicate 3',
  'status',
  'save session.kv',
  'save session.kv',
  'quit',
];

test('a session saved at the prompt replays with quartet run, and a wrong assertion fails it', async (t) => {
  const { dir, configPath } = await writeTestConfig(t);
  const up = await execa(quartetBin, ['up', '--config', configPath, '--dir', dir, '--json'], {
    cwd: dir,
    input: session.join('\n'),
    reject: false,
  });
  t.is(up.exitCode, 0, up.stderr);
  const saves = parseJsonLines(up.stdout).filter((r) => r.type === 'command' && r.op === 'save');
  t.is(saves.length, 2);
  t.true(saves[0]!.ok, JSON.stringify(saves[0]));
  t.is(saves[1]!.error?.code, 'SAVE_FAILED', 'the second save refuses to overwrite');

  const saved = await readFile(join(dir, 'session.kv'), 'utf8');
  // n1's link to n2 is open again: its hint may beat the repair, so only `stale 2` is kept.
  t.regex(saved, /^@2 get 5 one\s+=> old, stale 2 {4}# also saw repaired 2$/m);
  t.regex(saved, /^@1 get 3 quorum\s+=> error TIMEOUT$/m);
  t.regex(saved, /^@3 get 3 all\s+=> again, stale 1, repaired 1$/m);
  t.regex(saved, /^# could not parse: frobnicate 3$/m);
  t.regex(saved, /^# status$/m);
  // The same file with one value read wrong: the replay must notice it.
  const wrong = saved.replace(/^(@2 get 5 one\s+=> )old,/m, '$1older,');
  t.not(wrong, saved);
  await writeFile(join(dir, 'wrong.kv'), wrong);

  const run = await execa(
    quartetBin,
    ['run', 'session.kv', 'wrong.kv', '--config', configPath, '--dir', join(dir, 'run'), '--json'],
    { cwd: dir, reject: false },
  );
  const lines = parseJsonLines(run.stdout).filter((r) => Array.isArray(r.assertions));
  const checks = (file: string) =>
    lines.filter((r) => r.file === file).flatMap((r) => r.assertions!.map((a) => ({ ...a, r })));
  const good = checks('session.kv');
  const failedGood = good.filter((a) => !a.ok).map((a) => `${a.r.source}: ${a.message}`);
  t.deepEqual(failedGood, [], 'every assertion of the saved file holds on replay');
  t.true(good.length >= 14, `${good.length} assertions`);
  for (const text of ['stale 2', 'stale 1', 'repaired 1', 'error TIMEOUT', 'missing']) {
    t.true(
      good.some((a) => a.text === text),
      text,
    );
  }
  const failedWrong = checks('wrong.kv').filter((a) => !a.ok);
  t.is(failedWrong.length, 1, JSON.stringify(failedWrong));
  t.regex(failedWrong[0]!.r.source!, /^@2 get 5 one /);
  t.regex(failedWrong[0]!.message!, /expected "older", read "old"/);
  t.is(run.exitCode, 1, 'the run fails because of the wrong file only');
});
