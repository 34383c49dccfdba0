import test from 'ava';
import { createServer, type Server, type Socket } from 'node:net';
import { parseConfig } from '../../src/config/load.js';
import { LinkTable } from '../../src/core/links.js';
import { createSeededRandom } from '../../src/core/random.js';
import { LinkScheduler } from '../../src/node/link-scheduler.js';
import { createLogger } from '../../src/node/logger.js';
import { PeerLink } from '../../src/node/peer-link.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame.js';
import { computeMac, createNonce } from '../../src/protocol/handshake.js';
import { findFreePorts } from '../helpers/cluster.js';

// A link whose peer was not listening backs off (20 ms doubling to 1 s). When that peer dials
// this node, the server calls `dialNow`: the link must come up at once, not when its backoff
// ends. The listener here refuses (accepts and closes) until the backoff is long, then answers
// the handshake as a node would.

const secret = 'redial-test-secret-0123456789';
/** Refused dials before `dialNow`: by then the link waits 640 ms, then 1 s, to dial again. */
const refusalsBefore = 7;
const waitAfterRefusalsMs = 640;

function listen(port: number, onSocket: (socket: Socket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(onSocket);
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** The listener's side of the peer handshake, as node 2. */
function answerHandshake(socket: Socket): void {
  const decoder = new FrameDecoder(1 << 20);
  const server = createNonce();
  socket.write(encodeFrame({ type: 'welcome', nodeId: 2, nonce: server }));
  socket.on('data', (chunk) => {
    for (const message of decoder.push(chunk)) {
      const auth = message as { type: string; from: number; nonce: Buffer };
      if (auth.type !== 'auth') continue;
      const mac = computeMac(secret, 'server', { server, client: auth.nonce }, 2, auth.from);
      socket.write(encodeFrame({ type: 'auth-ok', mac }));
    }
  });
  socket.on('error', () => {});
}

test('a link waiting to redial dials at once when told the peer is up', async (t) => {
  const [port] = await findFreePorts(1);
  const config = parseConfig({ servers: ['127.0.0.1:1', `127.0.0.1:${port}`] });
  const scheduler = new LinkScheduler(
    1,
    new LinkTable(config),
    'uniform',
    true,
    createSeededRandom(1),
  );
  let refusals = 0;
  let answering = false;
  let backedOff: () => void = () => {};
  const longBackoff = new Promise<void>((resolve) => (backedOff = resolve));
  const server = await listen(port!, (socket) => {
    if (answering) return answerHandshake(socket);
    socket.on('close', () => {
      if (++refusals === refusalsBefore) backedOff();
    });
    socket.on('error', () => {});
    socket.destroy();
  });
  let up: () => void = () => {};
  const isUp = new Promise<void>((resolve) => (up = resolve));
  const link = new PeerLink({
    selfId: 1,
    peer: { id: 2, host: '127.0.0.1', port: port! },
    secret,
    limits: { keyBytesMax: 1024, valueBytesMax: 1 << 16 },
    frameBytesMax: 1 << 20,
    scheduler,
    logger: createLogger('error', () => {}),
    onUp: () => up(),
    onDown: () => {},
    onHeard: () => {},
  });
  t.teardown(() => {
    link.close();
    scheduler.close();
    server.close();
  });
  link.start();
  await longBackoff;
  answering = true;
  const toldAtMs = performance.now();
  link.dialNow();
  await isUp;
  const upAfterMs = performance.now() - toldAtMs;
  // Without dialNow the link cannot be up before its timer: at least 640 ms after the refusal.
  // (If the link has not yet seen that refusal's close, it redials after the shortest wait.)
  t.true(upAfterMs < waitAfterRefusalsMs, `up ${upAfterMs.toFixed(0)} ms after dialNow`);
});
