import type { ExecutionContext } from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, LogLevel } from '../../src/node/logger.js';

/** A fresh directory under the OS temp dir, removed when the test ends, even on failure. */
export async function makeTempDir(t: ExecutionContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `quartet-${prefix}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface RecordingLogger extends Logger {
  readonly lines: { level: LogLevel; message: string }[];
}

/** A logger that keeps its lines, so a test can check what was warned about. */
export function createRecordingLogger(): RecordingLogger {
  const lines: { level: LogLevel; message: string }[] = [];
  const record = (level: LogLevel) => (message: string) => void lines.push({ level, message });
  return {
    lines,
    debugEnabled: true,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}
