import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QuartetError } from '../../core/errors.js';
import { lmdbPageBytes } from './lmdb-store.js';

export const dataFileName = 'data.mdb';
export const markerFileName = 'quartet-node.json';

interface Marker {
  nodeId: number;
  createdAt: string;
}

const probeTimeoutMs = 60_000;

/**
 * Checks a node's data directory before the store opens it: a directory that held data must
 * still have a whole, readable data file. Reading a damaged LMDB file can kill the process
 * (SIGBUS), so the read-through happens in a child process first.
 */
export async function checkDataDir(dir: string, nodeId: number): Promise<{ fresh: boolean }> {
  const markerPath = join(dir, markerFileName);
  const dataPath = join(dir, dataFileName);
  if (!existsSync(markerPath)) {
    if (existsSync(dataPath)) {
      throw corrupt(
        dataPath,
        `it has no ${markerFileName} beside it, so it may belong to something else; move it away or pass --fresh`,
      );
    }
    await mkdir(dir, { recursive: true });
    const marker: Marker = { nodeId, createdAt: new Date().toISOString() };
    await writeFile(markerPath, `${JSON.stringify(marker, null, 2)}\n`);
    return { fresh: true };
  }
  const marker = await readMarker(markerPath);
  if (marker.nodeId !== nodeId) {
    throw corrupt(
      markerPath,
      `it belongs to node ${marker.nodeId}, not node ${nodeId}; check --data-dir`,
    );
  }
  if (!existsSync(dataPath)) {
    throw corrupt(
      dataPath,
      `it is missing although node ${nodeId} kept data here since ${marker.createdAt}; restore it, or pass --fresh to start empty on purpose`,
    );
  }
  const { size } = await stat(dataPath);
  if (size < 2 * lmdbPageBytes || size % lmdbPageBytes !== 0) {
    throw corrupt(
      dataPath,
      `it is ${size} bytes, not a whole number of ${lmdbPageBytes}-byte pages (at least 2): it was truncated`,
    );
  }
  // child_process only when there is a file to probe: a node in memory never loads it.
  const { spawnSync } = await import('node:child_process');
  probeDataFile(spawnSync, dir, dataPath);
  return { fresh: false };
}

async function readMarker(markerPath: string): Promise<Marker> {
  try {
    const marker = JSON.parse(await readFile(markerPath, 'utf8')) as Partial<Marker>;
    if (typeof marker.nodeId !== 'number') throw new Error('no nodeId');
    return { nodeId: marker.nodeId, createdAt: String(marker.createdAt) };
  } catch (error) {
    throw corrupt(markerPath, `it is not a valid marker (${(error as Error).message})`);
  }
}

function probeDataFile(
  spawnSync: typeof import('node:child_process').spawnSync,
  dir: string,
  dataPath: string,
): void {
  const probe = join(dirname(fileURLToPath(import.meta.url)), 'probe-main.js');
  const result = spawnSync(process.execPath, [probe, dir], {
    encoding: 'utf8',
    timeout: probeTimeoutMs,
  });
  if (result.status === 0) return;
  if (result.signal !== null) {
    throw corrupt(
      dataPath,
      `reading it crashed a test process with ${result.signal}: it is truncated or corrupt`,
    );
  }
  const why = (result.stdout || result.stderr || 'unknown failure').trim().split('\n')[0];
  throw corrupt(dataPath, `it cannot be read: ${why}`);
}

function corrupt(path: string, what: string): QuartetError {
  return new QuartetError('DATA_CORRUPT', `${path}: ${what}.`);
}
