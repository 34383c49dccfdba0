import { execFileSync } from 'node:child_process';
import { open, readFile, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa, type ResultPromise } from 'execa';
import { quartetBin } from '../../src/terminal/paths.js';
import { writeTestConfig } from '../helpers/cluster.js';
import { findProcessesMentioning, killAll } from '../helpers/processes.js';

type Signal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

interface Reached {
  child: ResultPromise;
  /** In every node's argv. */
  configPath: string;
  /** Run right after the signal: lets go of whatever held the process at the moment. */
  release?: () => Promise<void>;
}

interface Moment {
  /** Starts `quartet` and resolves once it is at the moment. */
  reach(t: ExecutionContext): Promise<Reached>;
}

/** Resolves once `stream` has printed text matching `pattern`. */
function waitForOutput(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (!pattern.test(seen)) return;
      stream.off('data', onData);
      resolve();
    };
    stream.on('data', onData);
  });
}

// A config read through a named pipe holds `quartet` (and later its nodes, which read the same
// path) at a known point: opening the pipe for writing returns once a reader has opened it. The
// reader blocks a libuv thread, which an exiting process waits for: `release` ends the read.
async function writeFifoConfig(t: ExecutionContext): Promise<{ fifo: string; text: string }> {
  const { dir, configPath } = await writeTestConfig(t);
  const fifo = join(dir, 'config-fifo.json');
  execFileSync('mkfifo', [fifo]);
  return { fifo, text: await readFile(configPath, 'utf8') };
}

function start(t: ExecutionContext, args: string[], options: { input?: string } = {}) {
  const child = execa(quartetBin, args, {
    reject: false,
    env: { NO_COLOR: '1' },
    ...(options.input === undefined ? { stdin: 'pipe' as const } : { input: options.input }),
  });
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  return child;
}

const moments: Record<string, Moment> = {
  'before the nodes are forked': {
    async reach(t) {
      const { fifo } = await writeFifoConfig(t);
      const child = start(t, ['up', '--config', fifo, '--dir', join(fifo, '..', 'work')]);
      // `quartet` is reading its config: nothing forked yet.
      const writer = await open(fifo, 'w');
      t.teardown(() => writer.close().catch(() => {}));
      return { child, configPath: fifo, release: () => writer.close() };
    },
  },
  'during startup': {
    async reach(t) {
      const { fifo, text } = await writeFifoConfig(t);
      const args = ['up', '--config', fifo, '--dir', join(fifo, '..', 'work'), '--in-memory'];
      const child = start(t, args);
      const forking = waitForOutput(child.stderr!, /node 4 on /);
      await writeFile(fifo, text);
      await forking;
      // A node is reading the config: forked, and startup cannot have finished.
      const writer = await open(fifo, 'w');
      t.teardown(() => writer.close().catch(() => {}));
      return { child, configPath: fifo, release: () => writer.close() };
    },
  },
  'at the prompt': {
    async reach(t) {
      const { dir, configPath } = await writeTestConfig(t);
      const child = start(t, ['up', '--config', configPath, '--dir', dir, '--in-memory', '--json']);
      const answered = waitForOutput(child.stdout!, /"op":"status"/);
      child.stdin!.write('status\n');
      await answered;
      return { child, configPath };
    },
  },
  'during a batch run': {
    async reach(t) {
      const { dir, configPath } = await writeTestConfig(t);
      const input = 'insert a 1 one\nsleep 60s\n';
      const args = ['run', '-', '--config', configPath, '--dir', dir, '--in-memory', '--json'];
      const child = start(t, args, { input });
      await waitForOutput(child.stdout!, /"op":"insert"/);
      return { child, configPath };
    },
  },
};

const exitsOnSignal = test.macro({
  async exec(t, momentName: string, signal: Signal) {
    const { child, configPath, release } = await moments[momentName]!.reach(t);
    t.teardown(() => killAll(findProcessesMentioning(configPath)));
    child.kill(signal);
    await release?.();
    const result = await child;
    t.is(result.exitCode, 128 + constants.signals[signal], String(result.stderr));
    t.deepEqual(findProcessesMentioning(configPath), [], 'no node process is left');
  },
  title: (_, momentName: string, signal: Signal) =>
    `${signal} ${momentName} exits ${128 + constants.signals[signal]} and leaves no node`,
});

for (const momentName of Object.keys(moments)) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    test.serial(exitsOnSignal, momentName, signal);
  }
}
