// The network fuzz: a real 4-node cluster takes malformed frames, wrong shapes, impostor peers
// and floods of connections while writes at `all` go on; every acknowledged write reads back.
import { randomBytes } from 'node:crypto';
import test from 'ava';
import fc from 'fast-check';
import { isErrorCode } from '../../src/core/errors.js';
import { decodeBody, encodeBody } from '../../src/protocol/codec.js';
import { encodeFrame } from '../../src/protocol/frame.js';
import { startTestCluster } from '../helpers/cluster.js';
import { RawConnection } from './raw-socket.js';
import { frameStreamArbitrary } from './targets/frames.js';
import { nearRequestArbitrary } from './targets/messages.js';

/** Bounds of the attack, per node: streams of bad frames, wrong-shape maps, flood connections. */
const malformedStreamsPerNode = 40;
const wrongShapesPerNode = 300;
const floodConnectionsPerNode = 200;
/** Writes at `all` the writers make at most while the attacks run. */
const writesMax = 2_000;
const writersCount = 8;

const seed = Number(process.env.QUARTET_FUZZ_SEED ?? Date.now() >>> 0);

type Frame = Record<string, unknown>;
const isMap = (message: unknown): message is Frame =>
  typeof message === 'object' && message !== null && !Array.isArray(message);
const idOf = (message: unknown) =>
  Array.isArray(message) ? message[1] : isMap(message) ? message.id : undefined;

/** What a node may send a stranger: its welcome, errors with registry codes, client replies. */
function checkAnswers(connection: RawConnection, what: string): string[] {
  const problems: string[] = [];
  if (connection.undecodable) problems.push(`${what}: the node sent bytes that are not frames`);
  for (const message of connection.received) {
    if (Array.isArray(message) && message[0] !== 1) {
      problems.push(`${what}: the node answered with peer message ${JSON.stringify(message)}`);
    }
    if (isMap(message) && message.type === 'error') {
      const code = isMap(message.error) ? message.error.code : undefined;
      if (!isErrorCode(code)) problems.push(`${what}: an error frame without a registry code`);
    }
    if (
      isMap(message) &&
      typeof message.type === 'string' &&
      /^(write|read|tree|range)-reply$/.test(message.type)
    ) {
      problems.push(`${what}: the node answered a stranger with ${message.type}`);
    }
  }
  return problems;
}

async function sendMalformedStreams(host: string, port: number, node: number): Promise<string[]> {
  const streams = fc.sample(frameStreamArbitrary, {
    seed: seed + node,
    numRuns: malformedStreamsPerNode,
  });
  const problems: string[] = [];
  for (const [index, { chunks }] of streams.entries()) {
    const connection = await RawConnection.open(host, port);
    for (const chunk of chunks) connection.socket.write(chunk);
    await connection.finish();
    problems.push(...checkAnswers(connection, `node ${node} malformed stream ${index}`));
  }
  return problems;
}

/** Wrong-shape requests that are still whole MessagePack frames (bad bytes are the other attack). */
function sampleWrongShapes(node: number): Buffer[] {
  const frames: Buffer[] = [];
  for (const message of fc.sample(nearRequestArbitrary, {
    seed: seed + node,
    numRuns: wrongShapesPerNode * 20,
  })) {
    if (frames.length === wrongShapesPerNode) break;
    try {
      decodeBody(encodeBody(message));
      frames.push(encodeFrame(message));
    } catch {
      continue; // values MessagePack cannot write or read back (symbols, records) are not frames
    }
  }
  return frames;
}

async function sendWrongShapes(host: string, port: number, node: number): Promise<string[]> {
  const connection = await RawConnection.open(host, port);
  for (const frame of sampleWrongShapes(node)) connection.socket.write(frame);
  // The connection still serves: a well-formed request after the bad ones gets its answer.
  const sentinel = 2 ** 31;
  connection.socket.write(encodeFrame({ type: 'stats', id: sentinel }));
  const answer = await connection.next((message) => idOf(message) === sentinel);
  const problems = checkAnswers(connection, `node ${node} wrong shapes`);
  if (!isMap(answer) || answer.type !== 'stats-result')
    problems.push(
      `node ${node}: after wrong-shape requests the connection no longer answered stats`,
    );
  connection.socket.destroy();
  return problems;
}

/** An impostor: a wrong MAC, then peer writes of `key`; and peer arrays with no auth at all. */
async function impersonatePeer(
  host: string,
  port: number,
  node: number,
  key: string,
): Promise<string[]> {
  const problems: string[] = [];
  const peer = node === 1 ? 2 : 1;
  for (const withAuth of [true, false]) {
    const connection = await RawConnection.open(host, port);
    await connection.next((message) => isMap(message) && message.type === 'welcome');
    if (withAuth)
      connection.socket.write(encodeFrame({ type: 'auth', from: peer, mac: randomBytes(32) }));
    const wallMs = Date.now();
    connection.socket.write(encodeFrame([2, 7, key, 'impostor', wallMs, 0, peer]));
    connection.socket.write(encodeFrame([3, 8, key, 'impostor', wallMs, 1, peer]));
    connection.socket.write(
      encodeFrame({
        type: 'write',
        id: 9,
        key,
        version: { value: 'impostor', ts: { wallMs, counter: 2, nodeId: peer } },
      }),
    );
    connection.socket.write(encodeFrame({ type: 'stats', id: 10 }));
    await connection.next((message) => idOf(message) === 10);
    const what = `node ${node} impostor ${withAuth ? 'with a wrong MAC' : 'without auth'}`;
    problems.push(...checkAnswers(connection, what));
    for (const id of [7, 8, 9]) {
      const answer = connection.received.find((message) => idOf(message) === id);
      const code = isMap(answer) && isMap(answer.error) ? answer.error.code : undefined;
      if (answer !== undefined && code !== 'UNAUTHORIZED' && code !== 'BAD_REQUEST')
        problems.push(`${what}: peer write ${id} was answered ${JSON.stringify(answer)}`);
    }
    connection.socket.destroy();
  }
  return problems;
}

async function flood(host: string, port: number, node: number): Promise<string[]> {
  const opened = await Promise.allSettled(
    Array.from({ length: floodConnectionsPerNode }, () => RawConnection.open(host, port)),
  );
  const connections = opened.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  // Each connection gets its welcome or is refused by a bound; none hangs.
  await Promise.all(
    connections.map((c) => c.next((message) => isMap(message) && message.type === 'welcome')),
  );
  const problems = connections.flatMap((c, i) =>
    checkAnswers(c, `node ${node} flood connection ${i}`),
  );
  for (const connection of connections) connection.socket.destroy();
  await Promise.all(connections.map((connection) => connection.closed));
  return problems;
}

test('a cluster under malformed frames, impostor peers and floods keeps every acknowledged write', async (t) => {
  t.timeout(120_000);
  t.log(`seed ${seed} (QUARTET_FUZZ_SEED=${seed} replays the attack inputs)`);
  const cluster = await startTestCluster(t, { requestTimeoutMs: 5000 });
  const servers = cluster.config.servers;
  const clients = await Promise.all(servers.map((server) => cluster.client(server.id)));
  const target = 'impostor-target';
  await clients[0]!.insert(target, 'genuine', 'all');
  const acked = new Map<string, string>([[target, 'genuine']]);

  let attacking = true;
  let nextWrite = 0;
  const failures: Record<string, number> = {};
  const writer = async () => {
    while (attacking && nextWrite < writesMax) {
      const index = nextWrite++;
      const key = `net-${index}`;
      const value = `v-${index}-${seed}`;
      const written = await clients[index % clients.length]!.insert(key, value, 'all').catch(
        (error: { code?: string }) => {
          failures[error.code ?? 'other'] = (failures[error.code ?? 'other'] ?? 0) + 1;
          return undefined;
        },
      );
      if (written !== undefined) acked.set(key, value);
    }
  };
  const writing = Promise.all(Array.from({ length: writersCount }, writer));
  const attackStartedMs = performance.now();
  const problems = (
    await Promise.all(
      servers.map(async ({ id, host, port }) => [
        ...(await sendMalformedStreams(host, port, id)),
        ...(await sendWrongShapes(host, port, id)),
        ...(await impersonatePeer(host, port, id, target)),
        ...(await flood(host, port, id)),
      ]),
    )
  ).flat();
  attacking = false;
  await writing;
  t.log(
    `attacks took ${Math.round(performance.now() - attackStartedMs)} ms; writes that failed meanwhile: ${JSON.stringify(failures)}`,
  );
  t.deepEqual(problems, []);

  let lost = 0;
  for (const [index, [key, value]] of [...acked].entries()) {
    const read = await clients[index % clients.length]!.get(key, 'all');
    if (read.value !== value) {
      lost++;
      t.log(`acknowledged ${key}=${value} reads back ${String(read.value)}`);
    }
  }
  t.log(`${acked.size} writes acknowledged at all during the attacks, ${lost} lost`);
  t.true(acked.size > 1, 'no write was acknowledged while the attacks ran');
  t.is(lost, 0);
  for (const client of clients)
    t.true((await client.stats()) !== undefined, `node ${client.nodeId} serves`);
});
