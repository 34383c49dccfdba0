import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { quartetBin } from '../../src/terminal/paths.js';
import { writeTestConfig } from '../helpers/cluster.js';

/** The text of a command's help under "Cluster options:", spaces and line wrapping aside. */
async function clusterOptionsHelp(command: string): Promise<string> {
  const { stdout } = await execa(quartetBin, [command, '--help']);
  const section = stdout.split('Cluster options:\n')[1] ?? '';
  return section.split('\n\n')[0]!.replace(/\s+/g, ' ');
}

test('up, run and node list the cluster options with the same words', async (t) => {
  const up = await clusterOptionsHelp('up');
  for (const flag of [
    '--config',
    '--delay-unit',
    '--dir',
    '--data-dir',
    '--in-memory',
    '--fresh',
  ]) {
    t.true(up.includes(flag), flag);
  }
  t.true(up.includes('--seed') && up.includes('--logs'));
  t.is(await clusterOptionsHelp('run'), up);
  t.is(await clusterOptionsHelp('node'), up);
});

test('quartet run takes the options learnt on up: --data-dir, --fresh, --logs', async (t) => {
  const { dir, configPath } = await writeTestConfig(t);
  const dataDir = join(dir, 'elsewhere');
  const result = await execa(
    quartetBin,
    ['run', '-', '--config', configPath, '--dir', dir, '--data-dir', dataDir, '--fresh', '--logs'],
    { input: 'insert a 1 all => ok\n', reject: false, env: { NO_COLOR: '1' } },
  );
  t.is(result.exitCode, 0, result.stderr);
  t.true(existsSync(join(dataDir, 'node-1')), 'the data went to --data-dir');
  t.regex(result.stderr, /^n2 │ .*listening on/m, 'the logs came on stderr with a prefix');
});

test('options that contradict each other are a USAGE error, exit 2', async (t) => {
  const result = await execa(quartetBin, ['run', 'x.kv', '--in-memory', '--data-dir', 'd'], {
    reject: false,
  });
  t.is(result.exitCode, 2);
  t.regex(
    result.stderr,
    /^error USAGE: option '--data-dir <dir>' cannot be used with option '--in-memory'/,
  );
  const noPrompt = await execa(quartetBin, ['node', '--id', '1', '--json', '--no-prompt'], {
    reject: false,
  });
  t.is(noPrompt.exitCode, 2);
  t.regex(noPrompt.stderr, /^error USAGE: `--history` and `--json` are about the prompt/);
});
