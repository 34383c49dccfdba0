import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QuartetError } from '../core/errors.js';

/** Random bytes in a secret that quartet makes (printed as hex). */
export const secretBytes = 32;
/** The fewest characters a secret given by the user may have. */
export const secretCharsMin = 16;
export const secretFileName = 'secret';

const howToGiveOne =
  'set QUARTET_SECRET, pass `--secret-file FILE` (a copy of the first node\u2019s .quartet/secret), or print a new one with `quartet secret`';

/** A new cluster secret: 32 random bytes as hex. */
export function createSecret(): string {
  return randomBytes(secretBytes).toString('hex');
}

export interface SecretSources {
  /** `--secret-file FILE`: wins over everything. */
  secretFile?: string;
  /** QUARTET_SECRET. */
  env?: string;
  /** The node's working directory: DIR/secret is read, or created when nobody made one yet. */
  dir: string;
}

export interface ResolvedSecret {
  secret: string;
  /** Where it came from, for the log. */
  from: string;
  created: boolean;
  /** Something the user should fix, e.g. a file others can read. */
  warning?: string;
}

/**
 * The node's cluster secret: `--secret-file`, else QUARTET_SECRET, else DIR/secret, which the
 * first node started from DIR creates. Never derived from the config. Fails with NO_SECRET.
 */
export async function resolveSecret(sources: SecretSources): Promise<ResolvedSecret> {
  if (sources.secretFile !== undefined) return readSecretFile(sources.secretFile, false);
  if (sources.env !== undefined && sources.env !== '') {
    return {
      secret: checkSecret(sources.env, 'QUARTET_SECRET'),
      from: 'QUARTET_SECRET',
      created: false,
    };
  }
  return readOrCreateSecretFile(join(sources.dir, secretFileName));
}

/**
 * The cluster secret for a command that attaches to running nodes: the same sources as a node's,
 * but DIR/secret is only read, never created; undefined when there is none.
 */
export async function findSecret(sources: SecretSources): Promise<ResolvedSecret | undefined> {
  if (sources.secretFile !== undefined || (sources.env !== undefined && sources.env !== '')) {
    return resolveSecret(sources);
  }
  try {
    return await readSecretFile(join(sources.dir, secretFileName), true);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/**
 * Reads PATH, or creates it (user-only) when it does not exist. Race-safe: the secret is written
 * whole to a temp file and linked into place, which fails if another node got there first; then
 * everyone reads the one file that won.
 */
export async function readOrCreateSecretFile(path: string): Promise<ResolvedSecret> {
  try {
    return await readSecretFile(path, true);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let created = false;
  try {
    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
    await writeFile(temp, `${createSecret()}\n`, { flag: 'wx', mode: 0o600 });
    try {
      await link(temp, path);
      created = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  } catch (error) {
    throw new QuartetError(
      'NO_SECRET',
      `This node has no cluster secret and cannot create ${path} (${(error as Error).message}); ${howToGiveOne}.`,
      { cause: error },
    );
  } finally {
    // The temp file is linked into place or lost the race; either way it is no longer needed.
    await unlink(temp).catch(() => {});
  }
  return { ...(await readSecretFile(path, true)), created };
}

// `passMissing`: a missing file is thrown as is, for the caller to create it.
async function readSecretFile(path: string, passMissing: boolean): Promise<ResolvedSecret> {
  let text: string;
  let mode: number;
  try {
    text = await readFile(path, 'utf8');
    mode = (await stat(path)).mode;
  } catch (error) {
    if (passMissing && isMissing(error)) throw error;
    throw new QuartetError(
      'NO_SECRET',
      `Cannot read the secret file ${path} (${(error as Error).message}); ${howToGiveOne}.`,
      { cause: error },
    );
  }
  const secret = checkSecret(text.trim(), path);
  const resolved: ResolvedSecret = { secret, from: path, created: false };
  if ((mode & 0o077) !== 0) {
    resolved.warning = `The secret file ${path} can be read by other users; \`chmod 600 ${path}\`.`;
  }
  return resolved;
}

function checkSecret(secret: string, from: string): string {
  if (secret.length < secretCharsMin) {
    throw new QuartetError(
      'NO_SECRET',
      `Expected the secret in ${from} to have at least ${secretCharsMin} characters, got ${secret.length}; ${howToGiveOne}.`,
    );
  }
  return secret;
}

// ENOTDIR: a file where a folder of the path should be; creating it will say why it fails.
function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
