import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import test from 'ava';
import { formatMessage, SseClients, wireBytes } from '../../src/web/sse-clients.js';
import { webClientBufferedBytesMax } from '../../src/web/web-bounds.js';

/** A message for stream event `x` whose text is `bytes` long (at least formatMessage's frame). */
function messageOf(bytes: number): string {
  const frame = Buffer.byteLength(formatMessage('x', ''));
  return 'a'.repeat(bytes - frame);
}

test('a stream that is not read never holds more than its bound, chunk framing included', async (t) => {
  const clients = new SseClients();
  let opened!: (id: number) => void;
  const openedId = new Promise<number>((done) => (opened = done));
  const server = createServer((_request, response: ServerResponse) =>
    opened(clients.open(response, () => {})),
  );
  t.teardown(() => {
    clients.closeAll();
    server.close();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as AddressInfo;
  // Never read: no 'data' listener, so the kernel's buffers fill and then the stream's own.
  const socket = connect(port, '127.0.0.1');
  t.teardown(() => socket.destroy());
  socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  const id = await openedId;
  const stats = () => clients.stats().find((stream) => stream.id === id)!;
  const room = () => webClientBufferedBytesMax - stats().bufferedBytes;
  const big = 64 * 1024;
  // Fill until less than two big messages' room is left: the rest is then what the bound allows.
  for (let sent = 0; room() > 2 * big + 64; sent++) {
    t.true(sent < 10_000, 'the stream backs up');
    clients.broadcast('x', messageOf(big), 1);
    // The kernel takes writes from the event loop: let it run between them.
    await new Promise((done) => setImmediate(done));
  }
  t.is(stats().droppedMessages, 0);
  // A message whose text is exactly the room left: its chunk's size line and CRLFs would pass
  // the bound, so it is dropped and counted.
  const left = room();
  clients.broadcast('x', messageOf(left), 3);
  t.true(stats().bufferedBytes <= webClientBufferedBytesMax, `${stats().bufferedBytes} buffered`);
  t.is(stats().droppedMessages, 1);
  t.is(stats().droppedEvents, 3);
  // One that fills the room to the byte, framing and all, goes.
  let text = left - 2;
  while (wireBytes(text) > room()) text--;
  const sent = stats().sentMessages;
  clients.broadcast('x', messageOf(text), 1);
  t.is(stats().sentMessages, sent + 1);
  t.true(stats().bufferedBytes <= webClientBufferedBytesMax, `${stats().bufferedBytes} buffered`);
});
