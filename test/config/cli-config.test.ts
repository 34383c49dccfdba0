// Bad configs end to end through bin/quartet: exit status 2 and one line `error BAD_CONFIG: F: ...`
// naming the field, before any node starts.
import test from 'ava';
import { execa } from 'execa';
import { quartetBin } from '../../src/terminal/paths.js';
import { withTempFile } from './helpers.js';

const servers = ['127.0.0.1:10000', '127.0.0.1:10001'];
const json = (value: unknown) => JSON.stringify(value);

const rejectedByTheCli = test.macro({
  async exec(t, command: string[], name: string, content: string | Uint8Array, pattern: RegExp) {
    await withTempFile(name, content, async (path) => {
      const result = await execa(quartetBin, [...command, '--config', path], {
        input: 'get 5 all\n',
        reject: false,
        timeout: 30_000,
      });
      t.is(result.exitCode, 2, result.stderr);
      const lines = result.stderr.split('\n').filter((line) => line !== '');
      t.is(lines.length, 1, `one line: ${result.stderr}`);
      t.true(lines[0]?.startsWith(`error BAD_CONFIG: ${path}: `), lines[0]);
      t.regex(lines[0] ?? '', pattern);
      t.is(result.stdout, '', 'no node started, no prompt');
    });
  },
  title: (providedTitle = '', command: string[]) =>
    `quartet ${command[0]} exits 2 with one BAD_CONFIG line for ${providedTitle}`,
});

const up = ['up'];
test(
  'a config nested 100,000 lists deep',
  rejectedByTheCli,
  up,
  'x.json',
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  /nest at most 32 deep/,
);
test(
  'localhost beside 127.0.0.1 on one port',
  rejectedByTheCli,
  up,
  'x.json',
  json({ servers: ['127.0.0.1:10000', 'localhost:10000'] }),
  /Server 2 \(`servers\[1\]`\) duplicates localhost:10000, the same address as 127\.0\.0\.1:10000/,
);
test(
  '127.000.000.001 beside 127.0.0.1',
  rejectedByTheCli,
  up,
  'x.json',
  json({ servers: ['127.0.0.1:10000', '127.000.000.001:10000'] }),
  /host of server 2 \(`servers\[1\]`\).*write that\), got "127\.000\.000\.001"/,
);
test(
  'a 10,000-character host name',
  rejectedByTheCli,
  up,
  'x.json',
  json({ servers: [`${'h'.repeat(10_000)}:10000`] }),
  /host of server 1 \(`servers\[0\]`\) to be a hostname of at most 253 characters/,
);
test(
  'a delay keyed __proto__',
  rejectedByTheCli,
  up,
  'x.json',
  `{"servers": ${json(servers)}, "delays": {"__proto__": "5ms"}}`,
  /key of `delays`.*got "__proto__"/,
);
test(
  'a port given as a string',
  rejectedByTheCli,
  up,
  'x.json',
  json({ servers: [{ host: '127.0.0.1', port: '10000' }] }),
  /port of server 1 \(`servers\[0\]`\).*got "10000" \(a string/,
);
test(
  'a binary file',
  rejectedByTheCli,
  up,
  'x.json',
  new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00]),
  /Expected a text file \(JSON or config\.py\), got binary data/,
);
test(
  'a misspelt key',
  rejectedByTheCli,
  up,
  'x.json',
  json({ servers, requestTimeotMs: 9000 }),
  /Unknown key `requestTimeotMs` in the config; did you mean `requestTimeoutMs`\?/,
);
test(
  'a config.py nested too deep',
  rejectedByTheCli,
  up,
  'config.py',
  `servers = ${'['.repeat(100_000)}`,
  /line 1, column 42: Expected lists, tuples and dicts to nest at most 32 deep/,
);
test(
  'a duplicate address',
  rejectedByTheCli,
  ['run', '/dev/null'],
  'x.json',
  json({ servers: ['localhost:10000', 'LOCALHOST:10000'] }),
  /Server 2 .*duplicates LOCALHOST:10000, the same address as localhost:10000/,
);
test(
  'a port given as a string',
  rejectedByTheCli,
  ['node', '--id', '1'],
  'x.json',
  json({ servers: [['127.0.0.1', '10000']] }),
  /got "10000" \(a string/,
);
