import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import test from 'ava';
import type { QuartetError } from '../../src/core/errors.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame.js';
import { computeMac, createNonce } from '../../src/protocol/handshake.js';
import { connectionsPerNodeMax, unauthenticatedConnectionsMax } from '../../src/protocol/limits.js';
import { startTestCluster } from '../helpers/cluster.js';
import { RawConnection } from './raw-connection.js';

const tenYearsMs = 10 * 365 * 24 * 3600 * 1000;

test('a listener on a down node’s port that cannot prove the secret is refused by every node, and nothing it sends is stored', async (t) => {
  const cluster = await startTestCluster(t, {}, { inMemory: true });
  const key = cluster.ring.replicasFor('k0').includes(4)
    ? 'k0'
    : [...Array(100).keys()]
        .map((i) => `k${i}`)
        .find((k) => cluster.ring.replicasFor(k).includes(4))!;
  const client = await cluster.client(1);
  await client.insert(key, 'real', 'all');
  await cluster.kill(4);
  // The impostor speaks the old one-way protocol: welcome, take the auth, then act as node 4,
  // answering every read with a version ten years ahead and acknowledging every write.
  const refusedBy = new Set<number>();
  const peerMessages: unknown[] = [];
  let settle: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const impostor = createServer((socket: Socket) => {
    const decoder = new FrameDecoder(64 * 1024 * 1024);
    let from: number | undefined;
    socket.on('error', () => {});
    socket.write(encodeFrame({ type: 'welcome', nodeId: 4, nonce: createNonce() }));
    socket.on('data', (chunk) => {
      for (const message of decoder.push(chunk)) {
        const fields = message as { type?: string; from?: number };
        if (fields.type === 'auth') {
          from = fields.from;
          // A forged proof, and replies to requests the dialer has not sent yet.
          socket.write(encodeFrame({ type: 'auth-ok', mac: Buffer.alloc(32) }));
          for (let id = 1; id <= 5; id++)
            socket.write(encodeFrame([5, id, 'forged', Date.now() + tenYearsMs, 0, 4]));
          continue;
        }
        peerMessages.push(message);
        settle(); // any peer request at all is already the failure: stop waiting
        if (Array.isArray(message) && message[0] === 1)
          socket.write(encodeFrame([5, message[1], 'forged', Date.now() + tenYearsMs, 0, 4]));
        if (Array.isArray(message) && message[0] === 2)
          socket.write(encodeFrame([6, message[1], true, true]));
      }
    });
    socket.on('close', () => {
      if (from !== undefined) refusedBy.add(from);
      if (refusedBy.size === 3) settle();
    });
  });
  t.teardown(() => impostor.close());
  impostor.listen(cluster.config.servers[3]!.port, '127.0.0.1');
  await once(impostor, 'listening');
  await settled;
  t.deepEqual(peerMessages, [], 'no node sent it a single peer request');
  t.deepEqual([...refusedBy].sort(), [1, 2, 3], 'every node dialled it and hung up');
  for (const id of [1, 2, 3]) {
    const stats = await (await cluster.client(id)).stats();
    t.false(stats.peers.find((peer) => peer.node === 4)!.connected, `node ${id} keeps node 4 down`);
  }
  const quorum = await client.get(key, 'quorum');
  t.is(quorum.value, 'real');
  t.true(quorum.ts!.wallMs < Date.now() + 60_000, 'no far-future version was read');
  const all = await t.throwsAsync(client.insert(key, 'lost?', 'all'));
  t.is((all as QuartetError).code, 'UNAVAILABLE', 'an `all` write is not acknowledged by it');
  await client.insert(key, 'newer', 'quorum');
  for (const replica of cluster.ring.replicasFor(key).filter((id) => id !== 4)) {
    const version = await (await cluster.client(replica)).local(key);
    t.is(version?.value, 'newer', `node ${replica} holds the real newest value`);
  }
  t.deepEqual(peerMessages, []);
});

test('a peer with the wrong secret is refused with UNAUTHORIZED, and the write it then sends is not stored', async (t) => {
  const cluster = await startTestCluster(t, {}, { inMemory: true });
  const raw = await RawConnection.open(t, cluster.config.servers[0]!.port);
  const welcome = await raw.frame(1);
  t.is(welcome.type, 'welcome');
  const nonces = { server: welcome.nonce as Uint8Array, client: createNonce() };
  const mac = computeMac('not-the-cluster-secret', 'client', nonces, 2, 1);
  raw.send({ type: 'auth', from: 2, nonce: nonces.client, mac });
  raw.send([2, 7, 'stolen', 'forged', Date.now(), 0, 2]);
  const answer = await raw.frame(2);
  t.is(answer.type, 'error');
  t.is((answer.error as { code: string }).code, 'UNAUTHORIZED');
  t.regex((answer.error as { message: string }).message, /wrong cluster secret/);
  await raw.closed;
  t.is(raw.frames.length, 2, 'no auth-ok and no write-reply');
  const client = await cluster.client(1);
  t.is(await client.local('stolen'), undefined, 'the write was not stored');
  t.false((await client.get('stolen', 'all')).found);
});

test('idle strangers and a full house of clients do not keep a restarted peer out, and `all` still works', async (t) => {
  const cluster = await startTestCluster(t, {}, { inMemory: true });
  const port = cluster.config.servers[0]!.port;
  // In batches below the strangers' bound: each becomes a client with its first request.
  const clients: RawConnection[] = [];
  while (clients.length < connectionsPerNodeMax) {
    const batch = Math.min(
      unauthenticatedConnectionsMax / 2,
      connectionsPerNodeMax - clients.length,
    );
    const opened = await Promise.all(
      Array.from({ length: batch }, async () => {
        const raw = await RawConnection.open(t, port);
        raw.send({ type: 'stats', id: 1 });
        await raw.frame(2);
        return raw;
      }),
    );
    clients.push(...opened);
  }
  const stats = await RawConnection.open(t, port);
  stats.send({ type: 'stats', id: 9 });
  const over = await stats.frame(2);
  t.is((over.error as { code: string }).code, 'OVERLOADED', 'one client past the cap is told so');
  const strangers = await Promise.all(
    Array.from({ length: 1020 }, () => RawConnection.open(t, port)),
  );
  await cluster.restart(2);
  const client = await cluster.client(3);
  await client.insert('after', 'restart', 'all');
  const read = await (await cluster.client(2)).get('after', 'all');
  t.is(read.value, 'restart');
  t.is(read.acks, 3);
  t.false(
    clients.some((raw) => raw.isClosed),
    'the clients kept their connections',
  );
  // Strangers past the bound were closed to make room; the rest go at their deadline.
  await Promise.all(strangers.map((raw) => raw.closed));
  t.pass();
});
