import test from 'ava';
import type { RepairEvent } from '../../src/core/messages.js';
import { Ring } from '../../src/core/ring.js';
import { startTestCluster } from '../helpers/cluster.js';

const ring = new Ring([1, 2, 3, 4], 3, 64);

/** A key whose replicas include every node given (and so, with RF 3 of 4, one more or not). */
function keyReplicatedOn(...nodes: number[]): string {
  for (let i = 0; ; i++) {
    const key = `key-${i}`;
    const replicas = ring.replicasFor(key);
    if (nodes.every((node) => replicas.includes(node))) return key;
  }
}

function nextRepair(
  client: { onRepair: (l: (e: RepairEvent) => void) => () => void },
  node: number,
): Promise<RepairEvent> {
  return new Promise((resolve) => {
    const off = client.onRepair((event) => {
      if (event.node === node && event.applied) {
        off();
        resolve(event);
      }
    });
  });
}

test('a write at `all` is then read at `one` through every node', async (t) => {
  const cluster = await startTestCluster(t);
  const writer = await cluster.client(1);
  const written = await writer.insert('5', '1', 'all');
  t.is(written.acks, 3);
  t.true(
    written.replicas.every((replica) => replica.state === 'fresh' && replica.created === true),
  );
  for (const id of cluster.nodeIds) {
    const read = await (await cluster.client(id)).get('5', 'one');
    t.is(read.value, '1', `node ${id} read the write`);
    t.true(read.found);
  }
});

test('a read at `one` coordinated by a replica whose links are slow returns the old value, then repairs it', async (t) => {
  const key = keyReplicatedOn(1, 2);
  const cluster = await startTestCluster(t, { requestTimeoutMs: 8000 });
  const writer = await cluster.client(1);
  const slow = await cluster.client(2);
  await slow.insert(key, 'old', 'all');
  await cluster.broadcast({ type: 'link-delay', from: 1, to: 2, delayMsMean: 4000 });

  const update = await writer.update(key, 'new', 'one');
  t.is(update.acks, 1);
  const repaired = nextRepair(slow, 2);
  const read = await slow.get(key, 'one');
  t.is(read.value, 'old', 'the slow replica answered first with what it had');

  const event = await repaired;
  t.is(event.node, 2);
  t.deepEqual(event.to, update.ts);
  t.truthy(event.from);
  const after = await slow.local(key);
  t.is(
    after?.value,
    'new',
    'the repair brought the slow replica up to date before the write reached it',
  );
});

test('a delete followed by reads and repairs never brings the value back', async (t) => {
  const key = keyReplicatedOn(1, 2);
  const cluster = await startTestCluster(t, { requestTimeoutMs: 8000 });
  const coordinator = await cluster.client(1);
  const lagging = await cluster.client(2);
  await lagging.insert(key, 'doomed', 'all');
  await cluster.broadcast({ type: 'link-delay', from: 1, to: 2, delayMsMean: 1500 });
  const deleted = await coordinator.delete(key, 'one');
  t.false(deleted.found);

  const repaired = nextRepair(lagging, 2);
  const stale = await lagging.get(key, 'one');
  t.is(stale.value, 'doomed', 'the lagging replica still held the value when asked alone');
  await repaired;
  // The delete itself is still on its way to node 2; reads must not resurrect the value meanwhile.
  await cluster.broadcast({ type: 'link-delay', from: 1, to: 2, delayMsMean: 0 });

  for (const id of cluster.nodeIds) {
    const read = await (await cluster.client(id)).get(key, 'all');
    t.false(read.found, `node ${id} reads the key as deleted at all`);
  }
  for (const replica of ring.replicasFor(key)) {
    const held = await (await cluster.client(replica)).local(key);
    t.is(held?.value, null, `replica ${replica} holds the tombstone`);
  }
});

test('a read at `all` tells which replicas were stale and repairs only those', async (t) => {
  const key = keyReplicatedOn(1, 2);
  const cluster = await startTestCluster(t, {
    links: [{ from: 1, to: 2, delay: '3s' }],
    requestTimeoutMs: 8000,
  });
  const coordinator = await cluster.client(1);
  await coordinator.insert(key, 'v1', 'one');
  const reader = await cluster.client(ring.replicasFor(key).find((n) => n !== 1 && n !== 2) ?? 3);
  const repaired = nextRepair(reader, 2);
  const read = await reader.get(key, 'all');
  t.is(read.value, 'v1');
  const states = Object.fromEntries(read.replicas.map((r) => [r.node, r.state]));
  t.is(states[2], 'missing');
  t.is(states[1], 'fresh');
  const event = await repaired;
  t.is(event.node, 2);
  t.is(event.from, undefined, 'node 2 had no version before the repair');
});
