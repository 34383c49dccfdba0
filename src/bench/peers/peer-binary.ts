import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { QuartetError } from '../../core/errors.js';

/** A peer's program: its name on PATH and the Debian package that ships it. */
export interface PeerProgram {
  command: string;
  debianPackage: string;
}

export const peerPrograms = {
  redisServer: { command: 'redis-server', debianPackage: 'redis-server' },
  redisBenchmark: { command: 'redis-benchmark', debianPackage: 'redis-tools' },
  etcd: { command: 'etcd', debianPackage: 'etcd-server' },
} as const satisfies Record<string, PeerProgram>;

/**
 * The path of an installed peer program, looked up on PATH. quartet never downloads one: when it
 * is missing, the PEER_MISSING error names the package to install.
 */
export function findPeerBinary(program: PeerProgram, path = process.env['PATH'] ?? ''): string {
  for (const directory of path.split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, program.command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory (or not executable): look in the next one.
    }
  }
  throw new QuartetError(
    'PEER_MISSING',
    `\`${program.command}\` is not installed (not found on PATH); install it with ` +
      `\`apt-get install ${program.debianPackage}\` and run again. quartet never downloads it.`,
  );
}
