import type { ExecutionContext } from 'ava';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QuartetError } from '../../src/core/errors.js';

export const fourServers = [
  '127.0.0.1:10000',
  '127.0.0.1:10001',
  '127.0.0.1:10002',
  '127.0.0.1:10003',
];

const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

export function configPath(name: string): string {
  return join(repoRoot, 'configs', name);
}

function findRepoRoot(start: string): string {
  let directory = start;
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`No package.json above ${start}`);
    directory = parent;
  }
  return directory;
}

// Writes `text` to a fresh temp file, runs `use` on its path and removes the file, even on failure.
export async function withTempFile<T>(
  name: string,
  text: string | Uint8Array,
  use: (path: string) => Promise<T>,
): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), 'quartet-config-'));
  try {
    const path = join(directory, name);
    await writeFile(path, text);
    return await use(path);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export function assertBadConfig(t: ExecutionContext, error: unknown, pattern: RegExp): void {
  t.true(error instanceof QuartetError, `expected a QuartetError, got ${String(error)}`);
  const quartetError = error as QuartetError;
  t.is(quartetError.code, 'BAD_CONFIG');
  t.regex(quartetError.message, pattern);
  t.false(quartetError.message.includes('\n'), 'the message is one line');
}
