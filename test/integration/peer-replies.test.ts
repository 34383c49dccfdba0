import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { QuartetClient } from '../../src/client/client.js';
import { loadConfig } from '../../src/config/load.js';
import type { ClusterConfig } from '../../src/config/types.js';
import { LinkTable } from '../../src/core/links.js';
import { createSeededRandom } from '../../src/core/random.js';
import { NodeProcess } from '../../src/launcher/node-process.js';
import { LinkScheduler } from '../../src/node/link-scheduler.js';
import { PeerLink } from '../../src/node/peer-link.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame.js';
import { computeMac, createNonce } from '../../src/protocol/handshake.js';
import { createRecordingLogger } from '../node/helpers.js';
import { writeTestConfig } from '../helpers/cluster.js';
import { pollUntil } from '../helpers/processes.js';

// A node answers a peer's request on its own link to that peer, beside its own requests, so
// that each peer gets one write per event-loop turn (bench/README.md). Here the test process
// is node 2 of two: it dials the real node 1 with a PeerLink, and (in the first test) listens
// on node 2's port and answers node 1's handshake, so node 1's link to it comes up.

interface Peer {
  config: ClusterConfig;
  secret: string;
  client: QuartetClient;
}

async function startNodeOne(t: ExecutionContext): Promise<Peer> {
  const { dir, configPath } = await writeTestConfig(t, { servers: 2, replicationFactor: 2 });
  const config = await loadConfig(configPath);
  const secret = randomBytes(32).toString('hex');
  const node = new NodeProcess({
    id: 1,
    configPath,
    secret,
    logFile: join(dir, 'node-1.log'),
    inMemory: true,
  });
  t.teardown(async () => {
    await node.stop();
    await node.closeLog();
  });
  await node.start();
  const { host, port } = config.servers[0]!;
  const client = await QuartetClient.connect({ host, port });
  t.teardown(() => client.close());
  return { config, secret, client };
}

/** Node 2's listener: answers node 1's handshake, then hands every frame after it to `onFrame`. */
function listenAsNodeTwo(
  t: ExecutionContext,
  { config, secret }: Peer,
  onFrame: (message: unknown) => void,
): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {}); // the node's end of the test closes it
    const decoder = new FrameDecoder(1 << 20);
    const nonce = createNonce();
    let up = false;
    socket.write(encodeFrame({ type: 'welcome', nodeId: 2, nonce }));
    socket.on('data', (chunk) => {
      for (const message of decoder.push(chunk)) {
        if (up) {
          onFrame(message);
          continue;
        }
        const auth = message as { from: number; nonce: Buffer };
        const mac = computeMac(secret, 'server', { server: nonce, client: auth.nonce }, 2, 1);
        socket.write(encodeFrame({ type: 'auth-ok', mac }));
        up = true;
      }
    });
  });
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { host, port } = config.servers[1]!;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** The test process's own link to node 1, as node 2. */
async function dialNodeOne(t: ExecutionContext, { config, secret }: Peer): Promise<PeerLink> {
  const scheduler = new LinkScheduler(
    2,
    new LinkTable(config),
    'fixed',
    true,
    createSeededRandom(1),
  );
  let up = () => {};
  const isUp = new Promise<void>((resolve) => (up = resolve));
  const link = new PeerLink({
    selfId: 2,
    peer: config.servers[0]!,
    secret,
    limits: { keyBytesMax: config.keyBytesMax, valueBytesMax: config.valueBytesMax },
    frameBytesMax: 1 << 20,
    scheduler,
    logger: createRecordingLogger(),
    onUp: () => up(),
    onDown: () => {},
    onHeard: () => {},
  });
  t.teardown(() => {
    link.close();
    scheduler.close();
  });
  link.start();
  await isUp;
  return link;
}

const nodeTwoUp = async ({ client }: Peer) =>
  (await client.stats()).peers.some((peer) => peer.node === 2 && peer.state === 'up');

test('a node answers a peer on its own link to that peer when that link is up', async (t) => {
  const peer = await startNodeOne(t);
  let link: PeerLink | undefined;
  const onLink: unknown[] = [];
  await listenAsNodeTwo(t, peer, (message) => {
    onLink.push(message);
    link?.receive(message);
  });
  await pollUntil(() => nodeTwoUp(peer));
  link = await dialNodeOne(t, peer);
  const written = await link.request({
    type: 'write',
    key: 'k2',
    version: { value: 'w', ts: { wallMs: Date.now(), counter: 0, nodeId: 2 } },
  });
  const read = await link.request({ type: 'read', key: 'k2' });
  t.is(written.type, 'write-reply');
  t.is(read.type, 'read-reply');
  if (read.type === 'read-reply') t.is(read.version?.value, 'w');
  // Both replies came on node 1's connection to node 2, beside its heartbeats.
  const replies = onLink.filter((message) => Array.isArray(message) && message[0] >= 5);
  t.is(replies.length, 2);
});

test('a node answers on the connection the request came on while its link to the peer is down', async (t) => {
  const peer = await startNodeOne(t);
  const link = await dialNodeOne(t, peer);
  t.false(await nodeTwoUp(peer));
  const read = await link.request({ type: 'read', key: 'absent' });
  t.is(read.type, 'read-reply');
  if (read.type === 'read-reply') t.is(read.version, undefined);
});
