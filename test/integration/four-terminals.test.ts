import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { execa, type ResultPromise } from 'execa';
import { QuartetClient } from '../../src/client/client.js';
import { quartetBin } from '../../src/terminal/paths.js';
import { findFreePorts } from '../helpers/cluster.js';
import { findProcessesMentioning, killAll, pollUntil } from '../helpers/processes.js';

// The original's four terminals: `quartet node` processes started from one directory, with no
// secret given (the first creates .quartet/secret, the others read it).
let dir = '';
let configPath = '';
let ports: number[] = [];
const serving = new Map<number, ResultPromise>();

interface JsonRecord {
  type: string;
  node: number;
  op: string;
  ok: boolean;
  value?: string | null;
  error?: { code: string; message: string };
  status?: { id: number; state: string }[];
}

/** The environment of a terminal with no QUARTET_SECRET. */
function terminalEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: '1' };
  for (const [name, value] of Object.entries(process.env)) {
    if (name !== 'QUARTET_SECRET' && value !== undefined) env[name] ??= value;
  }
  return env;
}

function startNode(id: number, extra: string[], stdin: 'ignore' | 'pipe'): ResultPromise {
  return execa(quartetBin, ['node', '--config', configPath, '--id', String(id), ...extra], {
    cwd: dir,
    env: terminalEnv(),
    extendEnv: false,
    reject: false,
    stdin,
  });
}

/** Resolves once `stream` printed `count` lines matching `pattern`. */
function waitForLines(stream: NodeJS.ReadableStream, pattern: RegExp, count = 1): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split(/\r?\n/);
      buffered = lines.pop()!;
      seen += lines.filter((line) => pattern.test(line)).length;
      if (seen < count && !pattern.test(buffered)) return;
      stream.off('data', onData);
      resolve();
    };
    stream.on('data', onData);
  });
}

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quartet-terminals-'));
  ports = await findFreePorts(4);
  configPath = join(dir, 'cluster.json');
  const servers = ports.map((port) => `127.0.0.1:${port}`);
  await writeFile(configPath, JSON.stringify({ servers, requestTimeoutMs: 3000 }));
  // Nodes 1, 2 and 4 serve only (no terminal); they are up once each sees two peers.
  for (const id of [1, 2, 4]) serving.set(id, startNode(id, ['--in-memory'], 'ignore'));
  await Promise.all(
    [...serving.values()].map((node) => waitForLines(node.stderr!, /peer \d+ connected/, 2)),
  );
});

test.after.always(async () => {
  killAll(findProcessesMentioning(configPath));
  await rm(dir, { recursive: true, force: true });
});

test.serial(
  'lines piped to a node with --prompt are coordinated by that node, reach the others with @N and use N, and refuse process faults',
  async (t) => {
    const node3 = startNode(3, ['--in-memory', '--prompt', '--json'], 'pipe');
    t.teardown(() => void node3.kill('SIGKILL'));
    let stdout = '';
    node3.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await Promise.all(
      [...serving.values()].map((node) => waitForLines(node.stderr!, /peer 3 connected/)),
    );
    const closed = waitForLines(node3.stderr!, /The prompt is closed; node 3 goes on serving/);
    const lines = ['insert k v all', 'get k all', '@1 get k one', 'use 4', 'get k one', 'kill 2'];
    lines.push('delay 2 10ms', 'partition 1,2 | 3,4', 'heal', 'delay 2 0ms', 'status');
    node3.stdin!.end(`${lines.join('\n')}\n`);
    await closed;
    const records = stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as JsonRecord);
    t.deepEqual(
      records.map((record) => [record.op, record.node, record.ok]),
      [
        ['insert', 3, true],
        ['get', 3, true],
        ['get', 1, true],
        ['use', 4, true],
        ['get', 4, true],
        ['kill', 4, false],
        // The link faults go to every node over operator connections, with node 3's secret.
        ['delay', 4, true],
        ['partition', 4, true],
        ['heal', 4, true],
        ['delay', 4, true],
        ['status', 4, true],
      ],
    );
    t.is(records[2]!.value, 'v');
    for (const refused of records.filter((record) => !record.ok)) {
      t.is(refused.error?.code, 'BAD_COMMAND');
      t.regex(refused.error!.message, /needs the node processes that `quartet up` starts itself/);
      t.false(refused.error!.message.includes('\n'));
    }
    t.deepEqual(
      records.at(-1)!.status!.map((node) => node.state),
      ['up', 'up', 'up', 'up'],
    );

    // End of piped input closed the prompt only: node 3 still coordinates requests.
    const client = await QuartetClient.connect({ host: '127.0.0.1', port: ports[2]! });
    t.teardown(() => client.close());
    t.is((await client.get('k', 'all')).value, 'v');
    t.true(findProcessesMentioning(configPath).includes(node3.pid!), 'node 3 still runs');
    node3.kill('SIGTERM');
    t.is((await node3).exitCode, 143);
  },
);

test.serial('the four nodes share one secret, created user-only in .quartet/secret', async (t) => {
  const secretPath = join(dir, '.quartet', 'secret');
  t.is((await stat(secretPath)).mode & 0o777, 0o600);
  t.deepEqual((await readdir(join(dir, '.quartet'))).sort(), ['logs', 'secret']);
});

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

(hasScript ? test.serial : test.serial.skip)(
  'on a terminal a node shows the prompt of `quartet up`, and `quit` stops it',
  async (t) => {
    const command = `${quartetBin} node --config ${configPath} --id 3 --in-memory`;
    const terminal = execa('script', ['-qefc', command, '/dev/null'], {
      cwd: dir,
      env: terminalEnv(),
      extendEnv: false,
      reject: false,
      stdin: 'pipe',
    });
    t.teardown(() => void terminal.kill('SIGKILL'));
    let screen = '';
    terminal.stdout!.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    await waitForLines(terminal.stdout!, /quartet n3> /);
    // The prompt comes up at once; node 3 meets `all` once it is connected to its peers.
    const node3 = await QuartetClient.connect({ host: '127.0.0.1', port: ports[2]! });
    await pollUntil(async () => (await node3.stats()).peers.every((peer) => peer.state === 'up'));
    node3.close();
    const answered = waitForLines(terminal.stdout!, /^ n3 .*get k/);
    terminal.stdin!.write('get k all\r');
    await answered;
    terminal.stdin!.write('quit\r');
    const result = await terminal;
    t.is(result.exitCode, 0, screen);
    // The notice wraps at the terminal's width: any run of spaces and line breaks between words.
    t.regex(screen, /Node 3 listening on 127\.0\.0\.1:\d+; its log:\s+\S*node-3\.log/);
    t.regex(screen, /^ n3 .*get k all .* v /m);
    t.regex(screen, /bye/);
  },
);

test.serial(
  '`quartet up --attach` opens the prompt against running nodes, with no secret, and refuses faults',
  async (t) => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'quartet-attach-'));
    t.teardown(() => rm(elsewhere, { recursive: true, force: true }));
    const result = await execa(quartetBin, ['up', '--attach', '--config', configPath, '--json'], {
      cwd: elsewhere,
      env: terminalEnv(),
      extendEnv: false,
      reject: false,
      input: '@2 get k one\npause 1\n',
    });
    t.is(result.exitCode, 0, result.stderr);
    const [read, pause] = result.stdout.split('\n').map((line) => JSON.parse(line) as JsonRecord);
    t.deepEqual([read!.node, read!.value], [2, 'v']);
    t.regex(pause!.error!.message, /^`pause` needs .*`quartet up` without --attach\.$/);
    t.regex(result.stderr, /nodes 3 do not answer/);
    t.deepEqual(await readdir(elsewhere), [], 'a client needs no secret and makes no .quartet');
    const refused = await execa(quartetBin, ['up', '--attach', '--fresh'], { reject: false });
    t.is(refused.exitCode, 2);
    t.regex(refused.stderr, /USAGE: option '--fresh' cannot be used with option '--attach'/);
  },
);

test.serial(
  '`quartet run --attach` from the nodes\u2019 directory sends link faults over operator connections; a wrong secret is refused',
  async (t) => {
    const node1 = await QuartetClient.connect({ host: '127.0.0.1', port: ports[0]! });
    t.teardown(() => node1.close());
    const droppedBefore = (await node1.stats()).messagesDropped;
    const writes = Array.from({ length: 20 }, (_, i) => `@1 insert lost${i} v one`);
    const input = ['loss 1->2 100%', ...writes, 'loss 1->2 0%', ''].join('\n');
    const run = (env: Record<string, string>) =>
      execa(quartetBin, ['run', '-', '--attach', '--config', configPath, '--json'], {
        cwd: dir,
        env,
        extendEnv: false,
        reject: false,
        input,
      });
    const result = await run(terminalEnv());
    const records = result.stdout
      .split('\n')
      .map((line) => JSON.parse(line) as JsonRecord)
      .filter((record) => record.type === 'command' || record.type === 'op');
    const loss = records.filter((record) => record.op === 'loss');
    t.deepEqual(
      loss.map((record) => record.ok),
      [true, true],
      JSON.stringify(loss),
    );
    // Node 1 dropped its messages to node 2 in its own delay model: the fault reached it.
    t.true((await node1.stats()).messagesDropped > droppedBefore);

    const forged = await run({ ...terminalEnv(), QUARTET_SECRET: 'not-the-cluster-secret-at-all' });
    const refused = forged.stdout
      .split('\n')
      .map((line) => JSON.parse(line) as JsonRecord)
      .find((record) => record.op === 'loss');
    t.is(refused?.error?.code, 'UNAUTHORIZED');
  },
);

test.serial('the nodes that serve stop cleanly on SIGTERM, with 143', async (t) => {
  for (const node of serving.values()) node.kill('SIGTERM');
  const codes = await Promise.all([...serving.values()].map(async (node) => (await node).exitCode));
  t.deepEqual(codes, [143, 143, 143]);
  t.deepEqual(findProcessesMentioning(configPath), []);
});
