import { chmod, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { QuartetError } from '../../src/core/errors.js';
import {
  readOrCreateSecretFile,
  resolveSecret,
  secretBytes,
  secretCharsMin,
} from '../../src/node/secret.js';
import { quartetBin } from '../../src/terminal/paths.js';
import { makeTempDir } from './helpers.js';

test('nodes that create the secret at once all end with the one that won, written user-only', async (t) => {
  const dir = join(await makeTempDir(t, 'secret'), '.quartet');
  const path = join(dir, 'secret');
  const results = await Promise.all(Array.from({ length: 12 }, () => readOrCreateSecretFile(path)));
  t.is(new Set(results.map((result) => result.secret)).size, 1);
  t.is(results.filter((result) => result.created).length, 1);
  t.is(results[0]!.secret.length, secretBytes * 2);
  t.is((await stat(path)).mode & 0o777, 0o600);
  t.deepEqual(await readdir(dir), ['secret'], 'no temp file is left behind');
});

test('QUARTET_SECRET is used before the directory, and --secret-file before both', async (t) => {
  const dir = await makeTempDir(t, 'secret');
  const file = join(dir, 'copied');
  await writeFile(file, `${'f'.repeat(40)}\n`, { mode: 0o600 });
  const fromEnv = await resolveSecret({ env: 'e'.repeat(32), dir });
  t.deepEqual([fromEnv.secret, fromEnv.from], ['e'.repeat(32), 'QUARTET_SECRET']);
  t.deepEqual(await readdir(dir), ['copied'], 'nothing created when the secret is given');
  const fromFile = await resolveSecret({ secretFile: file, env: 'e'.repeat(32), dir });
  t.deepEqual(
    [fromFile.secret, fromFile.from, fromFile.warning],
    ['f'.repeat(40), file, undefined],
  );
});

test('a secret file that others can read is used, with a warning that says how to fix it', async (t) => {
  const file = join(await makeTempDir(t, 'secret'), 'secret');
  await writeFile(file, 'a'.repeat(32));
  await chmod(file, 0o644);
  const resolved = await resolveSecret({ secretFile: file, dir: '/nonexistent' });
  t.regex(resolved.warning ?? '', /can be read by other users; `chmod 600 .*secret`/);
});

const refusals: [string, (dir: string) => Promise<Parameters<typeof resolveSecret>[0]>, RegExp][] =
  [
    [
      'a secret shorter than the minimum',
      async () => ({ env: 'short', dir: '/nonexistent' }),
      new RegExp(`at least ${secretCharsMin} characters, got 5; set QUARTET_SECRET`),
    ],
    [
      'a --secret-file that does not exist',
      async (dir) => ({ secretFile: join(dir, 'missing'), dir }),
      /Cannot read the secret file .*missing .*ENOENT.*--secret-file FILE/,
    ],
    [
      'a directory where no secret can be created',
      async (dir) => {
        await writeFile(join(dir, 'a-file'), '');
        return { dir: join(dir, 'a-file', '.quartet') };
      },
      /has no cluster secret and cannot create .*a-file\/\.quartet\/secret .*; set QUARTET_SECRET/,
    ],
  ];

for (const [what, sources, message] of refusals) {
  test(`${what} is refused with NO_SECRET, saying how to give one`, async (t) => {
    const dir = await makeTempDir(t, 'secret');
    const error = await t.throwsAsync(resolveSecret(await sources(dir)), {
      instanceOf: QuartetError,
      message,
    });
    t.is((error as QuartetError).code, 'NO_SECRET');
  });
}

test('`quartet node` with no secret it can create refuses to start in one line; `quartet secret` prints one', async (t) => {
  const dir = await makeTempDir(t, 'secret');
  await writeFile(join(dir, 'a-file'), '');
  const env = { ...process.env, QUARTET_SECRET: '' };
  const node = await execa(quartetBin, ['node', '--id', '1', '--dir', join(dir, 'a-file', 'x')], {
    env,
    reject: false,
  });
  t.is(node.exitCode, 1);
  t.regex(node.stderr, /^error NO_SECRET: This node has no cluster secret .*quartet secret`\.$/m);
  const printed = await execa(quartetBin, ['secret']);
  t.regex(printed.stdout, new RegExp(`^[0-9a-f]{${secretBytes * 2}}$`));
});
