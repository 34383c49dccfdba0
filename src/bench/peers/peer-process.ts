import { execa, type ResultPromise } from 'execa';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QuartetError } from '../../core/errors.js';
import { sampleProcess, type ProcessSample } from '../resources.js';

/** How long a peer may take to print that it is ready. */
export const peerStartTimeoutMs = 30_000;
/** How long a peer may take to exit after SIGTERM before it is killed. */
export const peerStopTimeoutMs = 5_000;
/** Output kept per peer process, for the error when it fails to start. */
const outputTailBytesMax = 4_096;

export interface PeerProcess {
  readonly name: string;
  readonly pid: number;
  sample(): Promise<ProcessSample | undefined>;
  /** SIGTERM, then SIGKILL after peerStopTimeoutMs; resolves once it has exited. */
  stop(): Promise<void>;
}

const running = new Map<ResultPromise, PeerProcess>();
const scratchDirs = new Set<string>();
let exitHookInstalled = false;

// However the bench ends (an error, another handler's process.exit), no peer outlives it.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running.keys()) child.kill('SIGKILL');
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** A fresh temp dir for a peer's data, removed by removePeerDir or when the process exits. */
export async function makePeerDir(prefix: string): Promise<string> {
  installExitHook();
  const dir = await mkdtemp(join(tmpdir(), `quartet-peer-${prefix}-`));
  scratchDirs.add(dir);
  return dir;
}

export async function removePeerDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  scratchDirs.delete(dir);
}

/** Stops every peer still running and removes every peer dir (Ctrl-C during a peer's turn). */
export async function stopAllPeers(): Promise<void> {
  await Promise.all([...running.values()].map((peer) => peer.stop()));
  await Promise.all([...scratchDirs].map((dir) => removePeerDir(dir)));
}

/** Starts a peer program and resolves once it prints `readyText` (stdout or stderr). */
export async function startPeerProcess(input: {
  name: string;
  file: string;
  args: string[];
  readyText: string;
}): Promise<PeerProcess> {
  installExitHook();
  const child = execa(input.file, input.args, { reject: false, stdin: 'ignore', all: true });
  let tail = '';
  let exited = false;
  const ended = child.then(() => {
    exited = true;
    running.delete(child);
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(failed(input.name, 'was not ready in time', tail)),
      peerStartTimeoutMs,
    );
    child.all?.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-outputTailBytesMax);
      if (tail.includes(input.readyText)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void ended.then(() => {
      clearTimeout(timer);
      reject(failed(input.name, 'exited before it was ready', tail));
    });
  });
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), peerStopTimeoutMs);
    await ended;
    clearTimeout(timer);
  };
  const pid = child.pid ?? 0;
  const peer: PeerProcess = { name: input.name, pid, sample: () => sampleProcess(pid), stop };
  running.set(child, peer);
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  return peer;
}

function failed(name: string, what: string, output: string): QuartetError {
  const lastLine = output.trim().split('\n').slice(-3).join(' | ');
  return new QuartetError(
    'PEER_FAILED',
    `${name} ${what}; its last output: ${lastLine || '(none)'}`,
  );
}
