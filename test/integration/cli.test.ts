import { createServer, Socket } from 'node:net';
import test from 'ava';
import { execa } from 'execa';
import { quartetBin } from '../../src/terminal/paths.js';
import { writeTestConfig } from '../helpers/cluster.js';
import { isAlive, killAll, waitForExit } from '../helpers/processes.js';

interface JsonRecord {
  type: string;
  op: string;
  ok: boolean;
  value?: string | null;
  found?: boolean;
  error?: { code: string; message: string };
  status?: { id: number; pid: number | null; state: string }[];
}

function parseRecords(stdout: string): JsonRecord[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JsonRecord);
}

test('piped input runs every line, answers bad lines with one-line errors, and exits 0 leaving no node', async (t) => {
  const { dir, configPath } = await writeTestConfig(t, { replicationFactor: 2, keyBytesMax: 16 });
  const input = [
    'insert 5 1 one',
    '@2 get 5 one',
    'frobnicate 5',
    'get 5 most',
    'get 5 three',
    `get ${'k'.repeat(17)} one`,
    'update 5 "two words" all',
    'get 5 all',
    'status',
    'quit',
    'get 5 all',
  ].join('\n');
  const result = await execa(quartetBin, ['up', '--config', configPath, '--dir', dir, '--json'], {
    input,
    reject: false,
  });
  t.is(result.exitCode, 0, result.stderr);
  const records = parseRecords(result.stdout);
  t.is(records.length, 10, 'one record per line up to quit, none after it');
  const [insert, get, unknown, badLevel, aboveRf, longKey, update, readBack, status] = records;
  t.true(insert!.ok);
  t.is(get!.value, '1');
  t.is(unknown!.error?.code, 'BAD_COMMAND');
  t.regex(unknown!.error!.message, /Unknown command `frobnicate`/);
  t.is(badLevel!.error?.code, 'BAD_COMMAND');
  t.is(aboveRf!.error?.code, 'UNAVAILABLE');
  t.is(longKey!.error?.code, 'TOO_LARGE');
  t.true(update!.ok);
  t.is(readBack!.value, 'two words');
  for (const record of records.filter((r) => !r.ok)) t.false(record.error!.message.includes('\n'));
  const pids = status!.status!.map((node) => node.pid!);
  t.is(pids.length, 4);
  t.true(
    pids.every((pid) => !isAlive(pid)),
    'every node exited with the orchestrator',
  );
});

async function startAndReadPids(t: import('ava').ExecutionContext) {
  const { dir, configPath } = await writeTestConfig(t);
  const orchestrator = execa(quartetBin, ['up', '--config', configPath, '--dir', dir, '--json'], {
    reject: false,
    stdin: 'pipe',
  });
  const pids: number[] = [];
  t.teardown(() => {
    orchestrator.kill('SIGKILL');
    killAll(pids);
  });
  orchestrator.stdin!.write('status\n');
  const status = await new Promise<JsonRecord>((resolve) => {
    let buffered = '';
    orchestrator.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.includes('"status"'));
      if (line !== undefined) resolve(JSON.parse(line) as JsonRecord);
    });
  });
  pids.push(...status.status!.map((node) => node.pid!));
  return { orchestrator, pids };
}

test('SIGTERM of the orchestrator stops every node and exits 143', async (t) => {
  const { orchestrator, pids } = await startAndReadPids(t);
  t.true(pids.every(isAlive));
  orchestrator.kill('SIGTERM');
  const result = await orchestrator;
  t.is(result.exitCode, 143);
  t.true(
    pids.every((pid) => !isAlive(pid)),
    'the nodes were stopped before the orchestrator exited',
  );
});

test('SIGKILL of the orchestrator leaves no node process behind', async (t) => {
  const { orchestrator, pids } = await startAndReadPids(t);
  t.true(pids.every(isAlive));
  orchestrator.kill('SIGKILL');
  await orchestrator;
  await waitForExit(pids);
  t.true(pids.every((pid) => !isAlive(pid)));
});

test('a port in use fails startup naming the node and the port, and stops the nodes already started', async (t) => {
  const { dir, configPath, ports } = await writeTestConfig(t);
  const blocker = createServer();
  await new Promise<void>((resolve) =>
    blocker.listen({ host: '127.0.0.1', port: ports[2], exclusive: true }, resolve),
  );
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const result = await execa(quartetBin, ['up', '--config', configPath, '--dir', dir], {
    input: 'status\n',
    reject: false,
  });
  t.is(result.exitCode, 1);
  t.regex(
    result.stderr,
    new RegExp(`PORT_IN_USE: Node 3 cannot listen on 127\\.0\\.0\\.1:${ports[2]}`),
  );
  for (const port of [ports[0], ports[1], ports[3]]) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen({ host: '127.0.0.1', port, exclusive: true }, () =>
        probe.close(() => resolve(true)),
      );
    });
    t.true(free, `port ${port} was released`);
  }
});

test('random bytes on a node port get an error frame and a closed connection; the node keeps serving', async (t) => {
  const { dir, configPath, ports } = await writeTestConfig(t);
  const orchestrator = execa(quartetBin, ['up', '--config', configPath, '--dir', dir, '--json'], {
    reject: false,
    stdin: 'pipe',
  });
  t.teardown(() => {
    orchestrator.kill('SIGKILL');
  });
  const lines: JsonRecord[] = [];
  const waiters: (() => void)[] = [];
  let buffered = '';
  orchestrator.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const part of parts) if (part.trim() !== '') lines.push(JSON.parse(part) as JsonRecord);
    for (const waiter of waiters.splice(0)) waiter();
  });
  const nextRecord = async (count: number) => {
    while (lines.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return lines[count - 1]!;
  };
  orchestrator.stdin!.write('insert a 1 all\n');
  t.true((await nextRecord(1)).ok);

  const socket = new Socket();
  await new Promise<void>((resolve) => socket.connect(ports[0]!, '127.0.0.1', resolve));
  const closed = new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
  socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8]));
  const answer = await closed;
  t.true(answer.toString('latin1').includes('TOO_LARGE'), 'the node explained why it closed');

  orchestrator.stdin!.write('@1 get a all\n');
  const read = await nextRecord(2);
  t.true(read.ok);
  t.is(read.value, '1');
  orchestrator.stdin!.end('quit\n');
  t.is((await orchestrator).exitCode, 0);
});
