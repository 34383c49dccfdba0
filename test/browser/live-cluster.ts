import { request } from 'node:http';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { execa, type ResultPromise } from 'execa';
import { quartetBin } from '../../src/terminal/paths.js';
import { writeTestConfig } from '../helpers/cluster.js';
import { findProcessesMentioning, killAll, waitForExit } from '../helpers/processes.js';

export interface LiveCluster {
  child: ResultPromise;
  url: URL;
  token: string;
  /** The test's folder, and the config the cluster runs. */
  dir: string;
  configPath: string;
  /** Everything `quartet up` printed on stdout so far. */
  stdout: () => string;
  /** Resolves once stdout (from now on, or already) matches. */
  waitForStdout: (pattern: RegExp) => Promise<void>;
  stop: () => Promise<void>;
}

/** The page's cluster: every message takes about 120 ms, slow enough to watch. */
export const liveDelays = { 1: '120ms', 2: '120ms', 3: '120ms', 4: '120ms' };

/**
 * `quartet up --web` on free ports, stdin piped and kept open (the prompt waits for lines), its
 * page's URL read from stdout. `t.teardown` stops it and every node, on any path.
 */
export async function startLiveCluster(
  t: Pick<ExecutionContext, 'teardown'>,
): Promise<LiveCluster> {
  const { dir, configPath } = await writeTestConfig(t as ExecutionContext, {
    delays: liveDelays,
  });
  const child = execa(
    quartetBin,
    ['up', '--web', '--config', configPath, '--in-memory', '--dir', join(dir, 'work')],
    {
      reject: false,
      stdin: 'pipe',
      env: { NO_COLOR: '1' },
    },
  );
  const stop = async () => {
    child.stdin?.end();
    const pids = findProcessesMentioning(configPath);
    await Promise.race([child, new Promise((done) => setTimeout(done, 10_000))]);
    child.kill('SIGKILL');
    killAll(findProcessesMentioning(configPath));
    await waitForExit(pids).catch(() => killAll(pids));
  };
  t.teardown(stop);
  let seen = '';
  const waiters: { pattern: RegExp; done: () => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
    for (const waiter of [...waiters]) {
      if (!waiter.pattern.test(seen)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.done();
    }
  });
  const waitForStdout = (pattern: RegExp) =>
    new Promise<void>((done) => {
      if (pattern.test(seen)) return done();
      waiters.push({ pattern, done });
    });
  const exited = child.then((result) => {
    throw new Error(`quartet up exited early (${result.exitCode}): ${result.stderr}`);
  });
  await Promise.race([waitForStdout(/Type `help` for the commands/), exited]);
  const match = /Live page: (http:\/\/\S+)/.exec(seen);
  if (match === null) throw new Error(`No page URL in: ${seen}`);
  const url = new URL(match[1]!);
  return {
    child,
    url,
    token: url.searchParams.get('token')!,
    dir,
    configPath,
    stdout: () => seen,
    waitForStdout,
    stop,
  };
}

export interface Answer {
  status: number;
  body: string;
}

/** One HTTP request with exactly these headers (fetch would not let a test set Host). */
export function sendRequest(
  url: URL,
  options: { path: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
      },
      (incoming) => {
        let body = '';
        incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
