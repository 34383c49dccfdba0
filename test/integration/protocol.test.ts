import { Socket } from 'node:net';
import test from 'ava';
import { QuartetError } from '../../src/core/errors.js';
import type { OpResult } from '../../src/core/messages.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame.js';
import { startTestCluster } from '../helpers/cluster.js';
import { pollUntil } from '../helpers/processes.js';

test('a client connection cannot send replica writes or repairs: UNAUTHORIZED', async (t) => {
  const cluster = await startTestCluster(t);
  const client = await cluster.client(1);
  const version = { value: 'forged', ts: { wallMs: Date.now() + 1e9, counter: 0, nodeId: 1 } };
  for (const type of ['write', 'repair', 'read'] as const) {
    const error = await t.throwsAsync(client.send({ type, key: 'k', version } as never).reply);
    t.true(error instanceof QuartetError);
    t.is((error as QuartetError).code, 'UNAUTHORIZED', type);
  }
  const read = await client.get('k', 'all');
  t.false(read.found, 'the forged write was not applied');
});

test('a client connection cannot send the positional peer form of a write either: UNAUTHORIZED', async (t) => {
  const cluster = await startTestCluster(t);
  const socket = new Socket();
  t.teardown(() => socket.destroy());
  const decoder = new FrameDecoder(1024 * 1024);
  const frames: unknown[] = [];
  const arrived: (() => void)[] = [];
  socket.on('data', (chunk) => {
    frames.push(...decoder.push(chunk));
    for (const wake of arrived.splice(0)) wake();
  });
  const nextFrame = async (count: number) => {
    while (frames.length < count) await new Promise<void>((resolve) => arrived.push(resolve));
    return frames[count - 1] as Record<string, unknown>;
  };
  await new Promise<void>((resolve) =>
    socket.connect(cluster.config.servers[0]!.port, '127.0.0.1', resolve),
  );
  t.is((await nextFrame(1)).type, 'welcome');
  socket.write(encodeFrame([2, 5, 'k', 'forged', Date.now() + 1e9, 0, 1]));
  const answer = await nextFrame(2);
  t.is(answer.type, 'error');
  t.is(answer.id, 5);
  t.is((answer.error as { code: string }).code, 'UNAUTHORIZED');
  const client = await cluster.client(1);
  t.false((await client.get('k', 'all')).found, 'the forged write was not applied');
});

test('one connection pipelines requests and replies come back out of order', async (t) => {
  const cluster = await startTestCluster(t, { delays: { 2: '600ms', 3: '600ms', 4: '600ms' } });
  const client = await cluster.client(1);
  const order: string[] = [];
  const slow = client.sendPut('insert', 'slow', 'x', 'all');
  const fast = client.sendGet('anything', 'one');
  t.true(fast.id > slow.id);
  await Promise.all([
    slow.reply.then(() => order.push('slow')),
    fast.reply.then(() => order.push('fast')),
  ]);
  t.deepEqual(order, ['fast', 'slow']);
});

test('a value over the limit is refused with TOO_LARGE and the connection keeps working', async (t) => {
  const cluster = await startTestCluster(t, { valueBytesMax: 1024 });
  const client = await cluster.client(1);
  const error = await t.throwsAsync(client.insert('k', 'x'.repeat(1025), 'one'));
  t.is((error as QuartetError).code, 'TOO_LARGE');
  t.regex(error!.message, /1025 bytes is over the limit of 1024/);
  const ok = await client.insert('k', 'x'.repeat(1024), 'one');
  t.is(ok.acks, 1);
});

test('a level the live replicas cannot meet fails fast with UNAVAILABLE', async (t) => {
  const cluster = await startTestCluster(t);
  const key = 'k1';
  const [, second] = cluster.ring.replicasFor(key);
  await cluster.kill(second!);
  const coordinator = cluster.nodeIds.find((id) => id !== second)!;
  const client = await cluster.client(coordinator);
  const error = await t.throwsAsync(client.get(key, 'all'));
  t.is((error as QuartetError).code, 'UNAVAILABLE');
  t.regex(error!.message, /only 2 of 3/);
  const quorum = await client.get(key, 'quorum');
  t.is(quorum.acks, 2);
  t.true(quorum.replicas.some((replica) => replica.node === second && replica.state === 'down'));
});

test('a coordinator gives up on a silent replica at its deadline, and keeps serving', async (t) => {
  const cluster = await startTestCluster(t, { requestTimeoutMs: 400 });
  const key = 'deadline';
  const [first, second] = cluster.ring.replicasFor(key);
  // Every message from the coordinator to one replica is lost: that replica never answers.
  await cluster.broadcast({ type: 'link-loss', from: first!, to: second!, lossRate: 1 });
  const client = await cluster.client(first!);
  const started = performance.now();
  const reads = await Promise.allSettled([1, 2, 3].map(() => client.get(key, 'all')));
  for (const read of reads) {
    t.is(read.status, 'rejected');
    const error = (read as PromiseRejectedResult).reason as QuartetError;
    t.is(error.code, 'TIMEOUT');
    t.regex(error.message, /Timed out: 2 of 3 replicas answered, level `all` needs 3/);
  }
  t.true(performance.now() - started >= 400, 'not before the deadline');
  const quorum = await client.get(key, 'quorum');
  t.is(quorum.acks, 2, 'the other replicas still answer');
  // The quorum read still waits for the silent replica (for read repair) until its own deadline.
  await pollUntil(async () => (await client.stats()).activeCoordinations === 0, 5_000);
  t.pass('every coordination ended: nothing is left behind');
});

test('submitGet and submitPut answer through their callbacks, and fail at once on a closed connection', async (t) => {
  const cluster = await startTestCluster(t, { valueBytesMax: 1024 });
  const client = await cluster.client(1);
  const submitted = <T>(submit: (done: (error?: QuartetError, result?: T) => void) => void) =>
    new Promise<{ error?: QuartetError; result?: T }>((resolve) =>
      submit((error, result) => resolve({ error, result })),
    );
  const put = await submitted<OpResult>((done) =>
    client.submitPut('insert', 'cb', 'v1', 'all', done),
  );
  t.is(put.error, undefined);
  t.is(put.result?.acks, 3);
  t.is(put.result?.op, 'insert');
  const get = await submitted<OpResult>((done) => client.submitGet('cb', 'one', done));
  t.is(get.result?.value, 'v1');
  t.is(get.result?.coordinator, 1);
  const bad = await submitted<OpResult>((done) =>
    client.submitPut('insert', 'cb', 'x'.repeat(1025), undefined, done),
  );
  t.is(bad.error?.code, 'TOO_LARGE');
  client.close();
  await pollUntil(() => client.closed);
  const closed = await submitted<OpResult>((done) => client.submitGet('cb', 'one', done));
  t.is(closed.error?.code, 'NODE_UNREACHABLE');
});
