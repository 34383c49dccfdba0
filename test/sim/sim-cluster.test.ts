import test from 'ava';
import type { CompleteRecord, HistoryRecord } from '../../src/check/history.js';
import { parseConfig } from '../../src/config/load.js';
import { createSeededRandom } from '../../src/core/random.js';
import { SimCluster } from '../../src/sim/sim-cluster.js';
import { wallClockBaseMs } from '../../src/sim/sim-runtime.js';

function cluster(options: { durable?: boolean; fifo?: boolean; delayMs?: number } = {}) {
  const delayMs = options.delayMs ?? 10;
  const config = parseConfig({
    servers: ['127.0.0.1:1', '127.0.0.1:2', '127.0.0.1:3', '127.0.0.1:4'],
    delays: { 1: delayMs, 2: delayMs, 3: delayMs, 4: delayMs },
    fifo: options.fifo ?? true,
    requestTimeoutMs: 1000,
  });
  const records: HistoryRecord[] = [];
  const sim = new SimCluster({
    config,
    networkRandom: createSeededRandom(1),
    durable: options.durable ?? false,
    record: (record) => records.push(record),
  });
  return { sim, records };
}

// Submits one operation, runs the simulation until it settles, returns its completion.
async function perform(
  sim: SimCluster,
  request: Parameters<SimCluster['submit']>[0],
): Promise<CompleteRecord> {
  let done: CompleteRecord | undefined;
  sim.submit(request, (record) => (done = record));
  await sim.settle();
  if (done === undefined) throw new Error('The operation never completed.');
  return done;
}

const put = (node: number, value: string, level: 'one' | 'quorum' | 'all' = 'all') =>
  ({ client: 'c', node, op: 'update', key: 'k', value, level }) as const;
const get = (node: number, level: 'one' | 'quorum' | 'all' = 'all') =>
  ({ client: 'c', node, op: 'get', key: 'k', level }) as const;

test('a write at all reaches every replica and a read at all returns it', async (t) => {
  const { sim } = cluster();
  const written = await perform(sim, put(1, 'v'));
  t.true(written.result.ok);
  const read = await perform(sim, get(2));
  t.deepEqual(read.result, { ok: true, value: 'v', found: true });
  t.deepEqual(read.ts, written.ts);
  const holders = [...sim.nodes.values()]
    .filter((node) => node.store.get('k') !== undefined)
    .map((n) => n.id);
  t.deepEqual(
    holders,
    [...sim.ring.replicasFor('k')].sort((a, b) => a - b),
  );
});

test('a crashed node without durable storage comes back empty; with it, keeps its data', async (t) => {
  for (const durable of [false, true]) {
    const { sim } = cluster({ durable });
    await perform(sim, put(1, 'v'));
    const replica = sim.ring.replicasFor('k')[0]!;
    sim.crash(replica);
    sim.restart(replica);
    t.is(sim.nodes.get(replica)!.store.get('k') !== undefined, durable, `durable: ${durable}`);
  }
});

test('operations on a crashed coordinator fail as unreachable, and `all` needs every replica', async (t) => {
  const { sim, records } = cluster();
  const [first] = sim.ring.replicasFor('k');
  sim.crash(first!);
  const other = [1, 2, 3, 4].find((node) => node !== first)!;
  t.like((await perform(sim, put(first!, 'v'))).result, { ok: false, error: 'NODE_UNREACHABLE' });
  t.like((await perform(sim, put(other, 'v', 'all'))).result, { ok: false, error: 'UNAVAILABLE' });
  t.true((await perform(sim, put(other, 'v', 'quorum'))).result.ok);
  t.true(records.some((r) => r.type === 'fault' && r.fault === 'crash' && r.lost === true));
});

test('a partition makes writes that need the far side time out', async (t) => {
  const { sim } = cluster();
  const replicas = sim.ring.replicasFor('k');
  const coordinator = replicas[0]!;
  sim.partition([[coordinator], [1, 2, 3, 4].filter((node) => node !== coordinator)]);
  t.like((await perform(sim, put(coordinator, 'v', 'quorum'))).result, {
    ok: false,
    error: 'TIMEOUT',
  });
  t.true((await perform(sim, put(coordinator, 'w', 'one'))).result.ok);
  sim.heal();
  t.like((await perform(sim, get(coordinator, 'all'))).result, { ok: true, value: 'w' });
});

test('a node’s clock skew and resolution shape the timestamps it stamps', async (t) => {
  const { sim } = cluster({ delayMs: 0 });
  sim.queue.at(1_234_567, () => undefined);
  sim.queue.drain();
  sim.setClock(1, { skewMs: 500, resolutionMs: 100 });
  const written = await perform(sim, put(1, 'v', 'one'));
  t.is(written.ts?.wallMs, Math.floor((wallClockBaseMs + 1234.567 + 500) / 100) * 100);
  t.is(written.ts?.nodeId, 1);
});
