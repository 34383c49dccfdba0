import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { errorCodes } from '../src/core/errors.js';
import { packageRoot } from '../src/terminal/paths.js';

/** The codes of the README's error table: rows that start with a code in backticks. */
async function readDocumentedCodes(): Promise<string[]> {
  const readme = await readFile(join(packageRoot, 'README.md'), 'utf8');
  return [...readme.matchAll(/^\| `([A-Z_]+)` +\| +\S/gm)].map((match) => match[1]!);
}

test('every error code in the registry is documented in the README', async (t) => {
  const documented = await readDocumentedCodes();
  const codes = Object.keys(errorCodes);
  t.true(codes.length > 0);
  for (const code of codes) t.true(documented.includes(code), `README.md documents ${code}`);
});

test('the README documents no error code that the registry lacks', async (t) => {
  const documented = await readDocumentedCodes();
  t.deepEqual([...documented].sort(), Object.keys(errorCodes).sort());
});
