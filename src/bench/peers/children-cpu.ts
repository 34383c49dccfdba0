import { readFile } from 'node:fs/promises';
import { QuartetError } from '../../core/errors.js';

/** Ticks per second of /proc's CPU times: USER_HZ, 100 on Linux whatever the kernel's HZ. */
const userHz = 100;

/**
 * CPU time (ms) of this process's children that have exited and been waited for (/proc/self/stat
 * cutime + cstime): how much a load tool such as redis-benchmark spent. Linux only.
 */
export async function readExitedChildrenCpuMs(): Promise<number> {
  let stat: string;
  try {
    stat = await readFile('/proc/self/stat', 'utf8');
  } catch (error) {
    throw new QuartetError(
      'PEER_FAILED',
      'The peer comparison reads /proc/self/stat; it runs on Linux only.',
      {
        cause: error,
      },
    );
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / userHz;
}
