import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { QuartetClient } from '../../src/client/client.js';
import { loadConfig } from '../../src/config/load.js';
import type { ClusterConfig } from '../../src/config/types.js';
import { LinkTable } from '../../src/core/links.js';
import type { AntiEntropyReport } from '../../src/core/messages.js';
import { createSeededRandom } from '../../src/core/random.js';
import { LinkScheduler } from '../../src/node/link-scheduler.js';
import { PeerLink } from '../../src/node/peer-link.js';
import { NodeProcess } from '../../src/launcher/node-process.js';
import { createRecordingLogger } from '../node/helpers.js';
import { writeTestConfig } from '../helpers/cluster.js';
import { pollUntil } from '../helpers/processes.js';

const tenYearsMs = 10 * 365 * 24 * 3_600_000;
const oneHourMs = 3_600_000;
/** How long a condition a node reaches on its own (a hint replay) may take before the test fails. */
const settleMsMax = 10_000;

interface Nodes {
  config: ClusterConfig;
  secret: string;
  logOf: (id: number) => Promise<string>;
  client: (id: number) => Promise<QuartetClient>;
  node: (id: number) => NodeProcess;
}

// Real node processes for the given ids of a three-server config; all stopped on every path.
async function startNodes(t: ExecutionContext, ids: number[]): Promise<Nodes> {
  const { dir, configPath } = await writeTestConfig(t, { servers: 3, requestTimeoutMs: 1000 });
  const config = await loadConfig(configPath);
  const secret = randomBytes(32).toString('hex');
  const processes = new Map<number, NodeProcess>();
  const clients: QuartetClient[] = [];
  t.teardown(async () => {
    for (const client of clients) client.close();
    await Promise.all([...processes.values()].map((node) => node.stop()));
    await Promise.all([...processes.values()].map((node) => node.closeLog()));
  });
  for (const id of ids) {
    const logFile = join(dir, `node-${id}.log`);
    processes.set(id, new NodeProcess({ id, configPath, secret, logFile, inMemory: true }));
  }
  await Promise.all([...processes.values()].map((node) => node.start()));
  // A node is ready once it listens; the test needs it connected to the others it started.
  for (const id of ids) {
    const server = config.servers[id - 1]!;
    const client = await QuartetClient.connect({ host: server.host, port: server.port });
    clients.push(client);
    await pollUntil(async () => {
      const { peers } = await client.stats();
      return ids.every(
        (other) => other === id || peers.some((p) => p.node === other && p.state === 'up'),
      );
    });
  }
  return {
    config,
    secret,
    logOf: (id) => readFile(join(dir, `node-${id}.log`), 'utf8'),
    client: async (id) => {
      const server = config.servers[id - 1]!;
      const client = await QuartetClient.connect({ host: server.host, port: server.port });
      clients.push(client);
      return client;
    },
    node: (id) => processes.get(id)!,
  };
}

// The test process as node 3, speaking to node `to` through the node's own PeerLink.
async function connectAsPeer(t: ExecutionContext, nodes: Nodes, to: number): Promise<PeerLink> {
  const { config } = nodes;
  const random = createSeededRandom(1);
  const scheduler = new LinkScheduler(3, new LinkTable(config), 'fixed', true, random);
  let up = () => {};
  const isUp = new Promise<void>((resolve) => (up = resolve));
  const link = new PeerLink({
    selfId: 3,
    peer: config.servers[to - 1]!,
    secret: nodes.secret,
    limits: { keyBytesMax: config.keyBytesMax, valueBytesMax: config.valueBytesMax },
    frameBytesMax: 1024 * 1024,
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

// Waits for a condition a node reaches on its own, checking every heartbeat; fails past the bound.
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + settleMsMax;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`not within ${settleMsMax} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a far-future version sent as a write or a repair is refused, not stored, and leaves the clock unmoved', async (t) => {
  const nodes = await startNodes(t, [1, 2]);
  const link = await connectAsPeer(t, nodes, 1);
  const client = await nodes.client(1);
  const forged = {
    value: 'forged',
    ts: { wallMs: Date.now() + tenYearsMs, counter: 0, nodeId: 3 },
  };
  for (const type of ['write', 'repair'] as const) {
    const reply = await link.request({ type, key: `k-${type}`, version: forged });
    t.is(reply.type, 'error', type);
    if (reply.type !== 'error') continue;
    t.is(reply.error.code, 'CLOCK_SKEW');
    t.regex(reply.error.message, /node 3 stamped \d+ s ahead .*maxClockOffsetMs \(500 ms\)/);
    t.is(await client.local(`k-${type}`), undefined, `${type}: not stored`);
  }
  const beforeMs = Date.now();
  const written = await client.insert('k-write', 'honest', 'quorum');
  t.true((written.ts?.wallMs ?? Infinity) < beforeMs + 1000, 'node 1 stamps by its own clock');
  t.is((await client.get('k-write', 'quorum')).value, 'honest');
  const log = await nodes.logOf(1);
  t.regex(log, /refused node 3's write of "k-write": Refused a version node 3 stamped/);
  t.regex(log, /refused node 3's repair of "k-repair"/);
});

test('a node skewed past the bound: its writes, hint replays and anti-entropy are refused by the others', async (t) => {
  const nodes = await startNodes(t, [1, 2, 3]);
  await nodes.node(3).control({ type: 'clock-skew', node: 3, skewMs: oneHourMs });
  const three = await nodes.client(3);
  const one = await nodes.client(1);

  // Node 3 keeps its own version; nodes 1 and 2 refuse it, and node 3 keeps hints for them.
  const write = await three.insert('ahead', 'v', 'quorum').then(
    () => undefined,
    (error: unknown) => error as { code: string; message: string },
  );
  t.is(write?.code, 'CLOCK_SKEW');
  t.regex(
    write?.message ?? '',
    /^Replica [12] refused it: Refused a version node 3 stamped 3600 s ahead/,
  );
  t.is((await three.local('ahead'))?.value, 'v');

  // Replayed at the next heartbeat, each hint is refused again, and dropped instead of retried.
  await eventually(async () => {
    const log = await nodes.logOf(3);
    return [1, 2].every((peer) => log.includes(`dropped the hint of "ahead" for node ${peer}`));
  }, 'node 3 dropped both hints');
  t.deepEqual((await three.stats()).hints, []);

  // Anti-entropy either way: node 1 refuses what it would pull and what node 3 would push.
  const pulled = await one.send({ type: 'anti-entropy', peers: [3] }).reply;
  const pushed = await three.send({ type: 'anti-entropy', peers: [1] }).reply;
  for (const [report] of [pulled.reports, pushed.reports] as AntiEntropyReport[][]) {
    t.is(report?.error?.code, 'CLOCK_SKEW');
    t.is((report?.keysReceived ?? 0) + (report?.keysSent ?? 0), 0);
  }
  t.is(await one.local('ahead'), undefined);
  t.regex(await nodes.logOf(1), /refused anti-entropy with node 3 of "ahead"/);

  // Node 1's clock never moved: its own write is stamped by its wall clock.
  const beforeMs = Date.now();
  const own = await one.insert('own', 'v', 'quorum');
  t.true((own.ts?.wallMs ?? Infinity) < beforeMs + 1000);
});
