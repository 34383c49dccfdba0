import { createServer, Socket, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import test, { type ExecutionContext } from 'ava';
import { FrameDecoder } from '../../src/protocol/frame.js';
import { FrameWriter, writeChunkBytes } from '../../src/protocol/frame-writer.js';

/** A connected socket pair on 127.0.0.1; the receiving side collects decoded frames. */
async function socketPair(t: ExecutionContext) {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const sender = new Socket();
  sender.connect((server.address() as AddressInfo).port, '127.0.0.1');
  const [receiver] = (await accepted) as [Socket];
  t.teardown(() => {
    sender.destroy();
    receiver.destroy();
    server.close();
  });
  const decoder = new FrameDecoder(16 * 1024 * 1024);
  const frames: unknown[] = [];
  receiver.on('data', (chunk: Buffer) => frames.push(...decoder.push(chunk)));
  const ended = once(receiver, 'end');
  return { sender, frames, ended };
}

test('frames written in one turn leave in one socket write, in order', async (t) => {
  const { sender, frames, ended } = await socketPair(t);
  let writes = 0;
  const write = sender.write.bind(sender);
  sender.write = ((...args: Parameters<Socket['write']>) => {
    writes++;
    return write(...args);
  }) as Socket['write'];
  const writer = new FrameWriter(sender);
  for (let id = 1; id <= 100; id++) writer.write({ type: 'get', id, key: `k${id}` });
  t.is(writes, 0, 'nothing leaves before the turn ends');
  await new Promise((resolve) => setImmediate(resolve));
  t.is(writes, 1);
  writer.end();
  await ended;
  t.deepEqual(
    frames.map((frame) => (frame as { id: number }).id),
    Array.from({ length: 100 }, (_, index) => index + 1),
  );
});

test('frames larger than a chunk, and more frames than fit in one, arrive whole and in order', async (t) => {
  const { sender, frames, ended } = await socketPair(t);
  const writer = new FrameWriter(sender);
  const big = 'x'.repeat(writeChunkBytes * 2);
  const sent = [
    { id: 1, value: 'small' },
    { id: 2, value: big },
  ];
  for (let id = 3; id < 3 + 2000; id++) sent.push({ id, value: 'y'.repeat(100) });
  for (const message of sent) writer.write(message);
  writer.end();
  await ended;
  t.deepEqual(frames, sent);
});

test('positional arrays, small, larger than a chunk and non-ASCII, arrive whole among maps', async (t) => {
  const { sender, frames, ended } = await socketPair(t);
  const writer = new FrameWriter(sender);
  const sent: unknown[] = [
    [2, 1, 'k', 'x'.repeat(writeChunkBytes * 2), 1_764_640_000_000, 0, 1],
    { type: 'get', id: 2, key: 'k' },
    [5, 3, 'naïve ☃ 𝄞'.repeat(40), 1_764_640_000_000, 1, 2],
  ];
  for (let id = 4; id < 4 + 2000; id++) sent.push([6, id, id % 2 === 0, true, -id, 0.5]);
  for (const message of sent) writer.write(message);
  writer.end();
  await ended;
  t.deepEqual(frames, sent);
});

test('end() sends the frames written before it, then closes', async (t) => {
  const { sender, frames, ended } = await socketPair(t);
  const writer = new FrameWriter(sender);
  writer.write({ type: 'error', id: 0, error: { code: 'BAD_REQUEST', message: 'bye' } });
  writer.end();
  await ended;
  t.is(frames.length, 1);
  t.false(writer.write({ type: 'late', id: 1 }), 'a closed writer refuses frames');
});
