import test from 'ava';
import type { QuartetError } from '../../src/core/errors.js';
import { encodeFrame } from '../../src/protocol/frame.js';
import { partialFrameBytesMax } from '../../src/protocol/limits.js';
import { startTestCluster } from '../helpers/cluster.js';
import { pollUntil } from '../helpers/processes.js';
import { RawConnection, readRssBytes } from './raw-connection.js';

const mib = 1024 * 1024;
const errorCode = (frame: Record<string, unknown>) => (frame.error as { code: string }).code;

test('incomplete frames past the node-wide bound are refused with OVERLOADED, memory stays bounded, and the node keeps serving', async (t) => {
  const cluster = await startTestCluster(t, {}, { inMemory: true });
  const port = cluster.config.servers[0]!.port;
  const client = await cluster.client(1);
  const { pid } = await client.stats();
  const rssBeforeBytes = await readRssBytes(pid);
  const frame = encodeFrame({
    type: 'put',
    id: 2,
    op: 'insert',
    key: 'big',
    value: 'x'.repeat(mib - 64),
    level: 'one',
  });
  const partial = frame.subarray(0, frame.length - 16);
  const connections = await Promise.all(
    Array.from({ length: 200 }, async () => {
      const raw = await RawConnection.open(t, port);
      raw.send({ type: 'stats', id: 1 }); // a client now: no handshake deadline
      await raw.frame(2);
      raw.socket.write(partial);
      return raw;
    }),
  );
  const refused = () => connections.filter((raw) => raw.frames.length >= 3);
  // Settled: every connection is refused, or the node holds all of its partial frame.
  await pollUntil(async () => {
    const held = (await client.stats()).connections?.partialFrameBytes;
    return held === (connections.length - refused().length) * partial.length;
  }, 60_000);
  const fit = Math.floor(partialFrameBytesMax / partial.length);
  t.true(refused().length >= connections.length - fit, `${refused().length} refused`);
  for (const raw of refused())
    t.is(errorCode(raw.frames[2] as Record<string, unknown>), 'OVERLOADED');
  await Promise.all(refused().map((raw) => raw.closed));
  const rssGrowthBytes = (await readRssBytes(pid)) - rssBeforeBytes;
  t.log(
    `RSS grew by ${(rssGrowthBytes / mib).toFixed(0)} MiB for ${connections.length} partial frames of 1 MiB`,
  );
  t.true(rssGrowthBytes < partialFrameBytesMax + 96 * mib);
  const accepted = connections.filter((raw) => !raw.isClosed);
  const [finished, ...dropped] = accepted;
  for (const raw of dropped) raw.socket.destroy();
  await pollUntil(
    async () => (await client.stats()).connections?.partialFrameBytes === partial.length,
  );
  finished!.socket.write(frame.subarray(frame.length - 16));
  const result = (await finished!.frame(3)) as unknown as unknown[];
  t.is(result[1], 2, 'the frame held across the flood completes and is answered');
  t.is((await client.get('big', 'one')).value?.length, mib - 64);
  t.is(
    (await client.stats()).connections?.partialFrameBytes,
    0,
    'closed connections gave back what they held',
  );
});

test('the client refuses an over-limit value without a round trip, and the next request on that connection works', async (t) => {
  const cluster = await startTestCluster(t, { valueBytesMax: 1024 }, { inMemory: true });
  const client = await cluster.client(1);
  t.is(client.limits?.valueBytesMax, 1024, 'the welcome says the limits');
  let refusal: QuartetError | undefined;
  client.submitPut('insert', 'k', 'x'.repeat(10 * mib), 'one', (error) => (refusal = error));
  t.is(refusal?.code, 'TOO_LARGE', 'refused at once: nothing was sent to wait for');
  t.regex(refusal!.message, /over the limit of 1024 bytes/);
  const error = await t.throwsAsync(client.insert('k', 'y'.repeat(1025), 'one'));
  t.is((error as QuartetError).code, 'TOO_LARGE');
  t.is((await client.insert('k', 'fits', 'one')).acks, 1, 'the same connection still works');
  t.false(client.closed);
});

test('a raw frame over the size limit gets TOO_LARGE, its body is skipped, and the next request on that connection is answered', async (t) => {
  const cluster = await startTestCluster(t, {}, { inMemory: true });
  const raw = await RawConnection.open(t, cluster.config.servers[0]!.port);
  const welcome = await raw.frame(1);
  const { frameBytesMax } = welcome.limits as { frameBytesMax: number };
  const huge = encodeFrame({
    type: 'put',
    id: 1,
    op: 'insert',
    key: 'k',
    value: 'x'.repeat(frameBytesMax + 1),
  });
  raw.socket.write(huge);
  raw.send({ type: 'put', id: 2, op: 'insert', key: 'k', value: 'small', level: 'all' });
  const answer = await raw.frame(2);
  t.is(errorCode(answer), 'TOO_LARGE');
  const next = (await raw.frame(3)) as unknown as unknown[];
  t.is(next[1], 2, 'the request after the skipped frame is answered');
  t.false(raw.isClosed);
  t.is((await (await cluster.client(2)).get('k', 'all')).value, 'small');
});
