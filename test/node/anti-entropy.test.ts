import test from 'ava';
import { leafOf, merkleDepthDefault } from '../../src/core/merkle.js';
import { createSeededRandom, type Random } from '../../src/core/random.js';
import { decideWrite } from '../../src/core/replica.js';
import { Ring } from '../../src/core/ring.js';
import { compareVersions, type Version } from '../../src/core/version.js';
import {
  AntiEntropy,
  rangeReplyBytesMax,
  type AntiEntropyPeer,
} from '../../src/node/anti-entropy.js';
import type { WriteAck } from '../../src/node/coordinator-host.js';
import { MemoryStore } from '../../src/node/storage/memory-store.js';
import type { Store } from '../../src/node/storage/store.js';
import { tombstone, value } from '../core/arbitraries.js';

const ring = new Ring([1, 2, 3, 4], 3, 16);
const sharedKeysCount = 10_000;

interface Replica {
  id: number;
  store: MemoryStore;
  antiEntropy: AntiEntropy;
  apply: (key: string, version: Version) => Promise<WriteAck>;
}

// As a replica applies a write: keep it only when it is newer than the held version.
function applyTo(store: Store): (key: string, version: Version) => Promise<WriteAck> {
  return async (key, version) => {
    const decision = decideWrite(store.get(key), version);
    if (decision.apply) await store.put(key, version);
    return { created: decision.created, applied: decision.apply };
  };
}

function makeReplica(id: number): Replica {
  const store = new MemoryStore();
  const apply = applyTo(store);
  return {
    id,
    store,
    apply,
    antiEntropy: new AntiEntropy(id, ring, store, apply, () => performance.now()),
  };
}

interface PeerCalls {
  ranges: { leaves: number; served: number }[];
}

/** `self`'s view of `other`, as the peer link would give it, all in this process. */
function peerOf(self: Replica, other: Replica, calls: PeerCalls = { ranges: [] }): AntiEntropyPeer {
  return {
    tree: async (depth) => other.antiEntropy.treeFor(self.id, depth),
    range: async (depth, leaves) => {
      const reply = other.antiEntropy.rangeFor(self.id, depth, leaves);
      calls.ranges.push({ leaves: leaves.length, served: reply.served });
      return reply;
    },
    push: (key, version) => other.apply(key, version),
  };
}

const isShared = (key: string) => {
  const replicas = ring.replicasFor(key);
  return replicas.includes(1) && replicas.includes(2);
};

function keysWhere(count: number, wanted: (key: string) => boolean, prefix: string): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++)
    if (wanted(`${prefix}-${i}`)) keys.push(`${prefix}-${i}`);
  return keys;
}

/** Older and newer versions of a key; about a third of the newer ones are deletes. */
function versionsOf(index: number, random: Random): { older: Version; newer: Version } {
  const older = value(`old-${index}`, 1_000 + index, 0, 1);
  const newer =
    random() < 0.3
      ? tombstone(2_000_000 + index, 0, 2)
      : value(`new-${index}`, 2_000_000 + index, 0, 2);
  return { older, newer };
}

interface Divergence {
  /** Keys where only B holds the newest version: A must receive them. */
  newerOnB: string[];
  /** Keys where only A holds the newest version: A must send them. */
  newerOnA: string[];
  newest: Map<string, Version>;
}

/** Fills A and B with the same shared keys, then makes random subsets missing or older on each side. */
async function diverge(a: Replica, b: Replica, random: Random): Promise<Divergence> {
  const divergence: Divergence = { newerOnB: [], newerOnA: [], newest: new Map() };
  const keys = keysWhere(sharedKeysCount, isShared, 'shared');
  for (const [index, key] of keys.entries()) {
    const { older, newer } = versionsOf(index, random);
    divergence.newest.set(key, newer);
    const roll = random();
    if (roll < 0.03) {
      await b.store.put(key, newer); // missing on A
      divergence.newerOnB.push(key);
    } else if (roll < 0.06) {
      await a.store.put(key, newer); // missing on B
      divergence.newerOnA.push(key);
    } else if (roll < 0.09) {
      await a.store.put(key, older);
      await b.store.put(key, newer);
      divergence.newerOnB.push(key);
    } else if (roll < 0.12) {
      await a.store.put(key, newer);
      await b.store.put(key, older);
      divergence.newerOnA.push(key);
    } else {
      await a.store.put(key, newer);
      await b.store.put(key, newer);
    }
  }
  return divergence;
}

test('two replicas that diverged on 10,000 keys hold the same newest versions after one repair', async (t) => {
  const a = makeReplica(1);
  const b = makeReplica(2);
  const { newerOnA, newerOnB, newest } = await diverge(a, b, createSeededRandom(42));
  // Keys only one of them replicates must stay where they are.
  const onlyOnA = keysWhere(
    200,
    (key) => ring.replicasFor(key).includes(1) && !isShared(key),
    'a-only',
  );
  const onlyOnB = keysWhere(
    200,
    (key) => ring.replicasFor(key).includes(2) && !isShared(key),
    'b-only',
  );
  for (const key of onlyOnA) await a.store.put(key, value('mine', 5, 0, 1));
  for (const key of onlyOnB) await b.store.put(key, value('mine', 5, 0, 2));
  t.true(
    a.antiEntropy.treeFor(2).nodes.some((hash, i) => hash !== b.antiEntropy.treeFor(1).nodes[i]),
  );

  const report = await a.antiEntropy.repairWith(2, peerOf(a, b));

  t.deepEqual(a.antiEntropy.treeFor(2), b.antiEntropy.treeFor(1));
  let stale = 0;
  for (const [key, version] of newest) {
    const onA = a.store.get(key);
    const onB = b.store.get(key);
    if (!onA || !onB || compareVersions(onA, version) !== 0 || compareVersions(onB, version) !== 0)
      stale++;
  }
  t.is(stale, 0);
  t.true(onlyOnA.every((key) => b.store.get(key) === undefined));
  t.true(onlyOnB.every((key) => a.store.get(key) === undefined));
  const differingLeaves = new Set(
    [...newerOnA, ...newerOnB].map((key) => leafOf(key, merkleDepthDefault)),
  );
  t.like(report, {
    node: 1,
    peer: 2,
    rangesCompared: 2 ** merkleDepthDefault,
    rangesDiffering: differingLeaves.size,
    keysReceived: newerOnB.length,
    keysSent: newerOnA.length,
  });
  t.true(report.rangesDiffering < report.rangesCompared, 'some ranges were already equal');
  t.is(report.keysReceived + report.keysSent, newerOnA.length + newerOnB.length);
});

test('a second repair right after the first finds nothing to exchange', async (t) => {
  const a = makeReplica(1);
  const b = makeReplica(2);
  await diverge(a, b, createSeededRandom(7));
  await a.antiEntropy.repairWith(2, peerOf(a, b));
  const calls: PeerCalls = { ranges: [] };
  const again = await a.antiEntropy.repairWith(2, peerOf(a, b, calls));
  t.like(again, { rangesDiffering: 0, keysReceived: 0, keysSent: 0 });
  t.deepEqual(calls.ranges, []);
  const fromB = await b.antiEntropy.repairWith(1, peerOf(b, a));
  t.like(fromB, { node: 2, peer: 1, rangesDiffering: 0, keysReceived: 0, keysSent: 0 });
});

test('a tree asked for again after a write holds the write, and a repair then exchanges it', async (t) => {
  const a = makeReplica(1);
  const b = makeReplica(2);
  const [key] = keysWhere(1, isShared, 'later');
  await a.store.put(key!, value('v', 1));
  await b.store.put(key!, value('v', 1));
  t.deepEqual(a.antiEntropy.treeFor(2), b.antiEntropy.treeFor(1));
  t.like(await a.antiEntropy.repairWith(2, peerOf(a, b)), { rangesDiffering: 0 });
  await b.store.put(key!, value('newer', 2));
  t.notDeepEqual(a.antiEntropy.treeFor(2), b.antiEntropy.treeFor(1));
  t.like(await a.antiEntropy.repairWith(2, peerOf(a, b)), { rangesDiffering: 1, keysReceived: 1 });
  t.deepEqual(a.store.get(key!), value('newer', 2));
});

test('two replicas that hold the same data find no range differing', async (t) => {
  const a = makeReplica(1);
  const b = makeReplica(2);
  for (const key of keysWhere(100, isShared, 'same')) {
    await a.store.put(key, value('v', 1));
    await b.store.put(key, value('v', 1));
  }
  t.like(await a.antiEntropy.repairWith(2, peerOf(a, b)), {
    rangesDiffering: 0,
    keysReceived: 0,
    keysSent: 0,
  });
});

test('a replica serves the differing ranges within its byte budget and the repair still finishes', async (t) => {
  const a = makeReplica(1);
  const b = makeReplica(2);
  const valueBytes = 100 * 1024;
  const keys = keysWhere(48, isShared, 'big');
  for (const [index, key] of keys.entries()) {
    await b.store.put(key, value(String(index).padEnd(valueBytes, '.'), 1));
  }
  const leaves = [...new Set(keys.map((key) => leafOf(key, merkleDepthDefault)))].sort(
    (x, y) => x - y,
  );
  const reply = b.antiEntropy.rangeFor(1, merkleDepthDefault, leaves);
  t.true(reply.served > 0);
  t.true(reply.served < leaves.length);
  const replyBytes = reply.entries.reduce(
    (sum, entry) => sum + (entry.version.value?.length ?? 0),
    0,
  );
  t.true(replyBytes <= rangeReplyBytesMax);
  const servedLeaves = new Set(leaves.slice(0, reply.served));
  t.true(reply.entries.every((entry) => servedLeaves.has(leafOf(entry.key, merkleDepthDefault))));

  const calls: PeerCalls = { ranges: [] };
  const report = await a.antiEntropy.repairWith(2, peerOf(a, b, calls));
  t.true(calls.ranges.length > 1, 'the repair asked again for the ranges not yet served');
  t.like(report, { rangesDiffering: leaves.length, keysReceived: keys.length, keysSent: 0 });
  t.true(keys.every((key) => a.store.get(key)?.value === b.store.get(key)?.value));
  t.deepEqual(a.antiEntropy.treeFor(2), b.antiEntropy.treeFor(1));
});

test('a replica serves a whole range even when that range alone exceeds the byte budget', (t) => {
  const b = makeReplica(2);
  const keys = keysWhere(3, isShared, 'huge');
  for (const key of keys) b.store.put(key, value('x'.repeat(rangeReplyBytesMax), 1));
  // At depth 0 every key is in the one range 0.
  const reply = b.antiEntropy.rangeFor(1, 0, [0]);
  t.is(reply.served, 1);
  t.deepEqual(reply.entries.map((entry) => entry.key).sort(), [...keys].sort());
});

test('a replica serves only the keys it shares with the asking peer', (t) => {
  const b = makeReplica(2);
  const shared = keysWhere(20, isShared, 'shared');
  const notShared = keysWhere(
    20,
    (key) => ring.replicasFor(key).includes(2) && !isShared(key),
    'other',
  );
  for (const key of [...shared, ...notShared]) b.store.put(key, value('v', 1));
  const reply = b.antiEntropy.rangeFor(1, 0, [0]);
  t.deepEqual(reply.entries.map((entry) => entry.key).sort(), [...shared].sort());
});
