import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Resolves once none of the pids is alive, or rejects after `limitMs`. Process exit cannot be
 * awaited for processes that are not our children, so this polls, bounded.
 */
export async function waitForExit(pids: number[], limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline)
      throw new Error(
        `Processes still alive after ${limitMs} ms: ${pids.filter(isAlive).join(', ')}`,
      );
    await sleep(25);
  }
}

/** SIGKILLs whatever is still alive: a teardown that leaves no process behind. */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}

/**
 * Resolves once `check` returns true, trying again every few ms, or rejects after `limitMs`:
 * for states another process reaches (hints delivered) that send no event to await.
 */
export async function pollUntil(
  check: () => Promise<boolean> | boolean,
  limitMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Condition still false after ${limitMs} ms.`);
    await sleep(20);
  }
}

/**
 * The pids of the processes whose command line mentions `text` (a test's unique config path):
 * every node of a test, the ones whose pids it never learnt too. Linux: reads /proc.
 */
export function findProcessesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // The process exited between the listing and the read: it mentions nothing any more.
    }
  }
  return pids;
}
