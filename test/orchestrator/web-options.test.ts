// `--web-host` that is every address is refused before any node starts.
import test from 'ava';
import { execa } from 'execa';
import { quartetBin } from '../../src/terminal/paths.js';

for (const host of ['0.0.0.0', '::']) {
  test(`quartet up --web --web-host ${host} exits 2 with one USAGE line, starting nothing`, async (t) => {
    const result = await execa(quartetBin, ['up', '--web', '--web-host', host, '--in-memory'], {
      input: 'get 5 all\n',
      reject: false,
      timeout: 30_000,
    });
    t.is(result.exitCode, 2, result.stderr);
    const lines = result.stderr.split('\n').filter((line) => line !== '');
    t.is(lines.length, 1, `one line: ${result.stderr}`);
    t.regex(lines[0] ?? '', /^error USAGE: --web-host .* listens on every address/);
    t.is(result.stdout, '', 'no node started, no prompt');
  });
}
