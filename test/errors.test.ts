import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { errorCodes } from '../src/core/errors.js';
import { packageRoot } from '../src/orchestrator/paths.js';

test('every error code in the registry is documented in the README', async (t) => {
  const readme = await readFile(join(packageRoot, 'README.md'), 'utf8');
  const codes = Object.keys(errorCodes);
  t.true(codes.length > 0);
  for (const code of codes)
    t.true(readme.includes(`| \`${code}\` |`), `README.md documents ${code}`);
});

test('the README documents no error code that the registry lacks', async (t) => {
  const readme = await readFile(join(packageRoot, 'README.md'), 'utf8');
  const documented = [...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]!);
  t.deepEqual(documented.sort(), Object.keys(errorCodes).sort());
});
