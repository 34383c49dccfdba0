import test from 'ava';
import { Ring } from '../../src/core/ring.js';
import type { Version } from '../../src/core/version.js';
import { MemoryStore } from '../../src/node/storage/memory-store.js';
import { purgeTombstones, type PurgeOptions } from '../../src/node/tombstones.js';

const ring = new Ring([1, 2, 3, 4], 3, 64);
const graceMs = 1000;
const nowMs = 1_000_000;
const tombstone: Version = { value: null, ts: { wallMs: nowMs - 5000, counter: 0, nodeId: 2 } };

/** A key node 1 replicates, with the other two replicas. */
function keyOnNode1(): { key: string; others: number[] } {
  for (let i = 0; ; i++) {
    const replicas = ring.replicasFor(`k${i}`);
    if (replicas.includes(1)) return { key: `k${i}`, others: replicas.filter((n) => n !== 1) };
  }
}

function setup(peers: Map<number, Version | undefined | 'unreachable'>, held: Version = tombstone) {
  const { key } = keyOnNode1();
  const store = new MemoryStore();
  store.put(key, held);
  const options: PurgeOptions = {
    store,
    ring,
    selfId: 1,
    tombstoneGraceMs: graceMs,
    nowMs,
    isAvailable: (node) => peers.get(node) !== 'unreachable',
    readFrom: async (node) => {
      const answer = peers.get(node);
      if (answer === 'unreachable') throw new Error('unreachable');
      return answer;
    },
  };
  return { key, store, options };
}

const { others } = keyOnNode1();

test('a tombstone past the grace period that every replica holds is purged', async (t) => {
  const { key, store, options } = setup(new Map(others.map((n) => [n, tombstone])));
  t.is(await purgeTombstones(options), 1);
  t.is(store.get(key), undefined);
});

test('a tombstone is purged when the other replicas already purged it', async (t) => {
  const { key, store, options } = setup(new Map(others.map((n) => [n, undefined])));
  t.is(await purgeTombstones(options), 1);
  t.is(store.get(key), undefined);
});

test('a tombstone stays while another replica still holds the value', async (t) => {
  const value: Version = { value: 'old', ts: { wallMs: nowMs - 9000, counter: 0, nodeId: 3 } };
  const { key, store, options } = setup(
    new Map([
      [others[0]!, tombstone],
      [others[1]!, value],
    ]),
  );
  t.is(await purgeTombstones(options), 0);
  t.deepEqual(store.get(key), tombstone);
});

test('a tombstone stays while another replica is unreachable', async (t) => {
  const peers = new Map<number, Version | 'unreachable'>([
    [others[0]!, tombstone],
    [others[1]!, 'unreachable'],
  ]);
  const { key, store, options } = setup(peers);
  t.is(await purgeTombstones(options), 0);
  t.deepEqual(store.get(key), tombstone);
});

test('a tombstone younger than the grace period stays', async (t) => {
  const young: Version = { value: null, ts: { wallMs: nowMs - 10, counter: 0, nodeId: 2 } };
  const { key, store, options } = setup(new Map(others.map((n) => [n, young])), young);
  t.is(await purgeTombstones(options), 0);
  t.deepEqual(store.get(key), young);
});

test('a value is never purged, however old', async (t) => {
  const old: Version = { value: 'v', ts: { wallMs: 1, counter: 0, nodeId: 2 } };
  const { key, store, options } = setup(new Map(others.map((n) => [n, old])), old);
  t.is(await purgeTombstones(options), 0);
  t.deepEqual(store.get(key), old);
});

test('a tombstone overwritten while the replicas were asked stays', async (t) => {
  const { key, store, options } = setup(new Map(others.map((n) => [n, tombstone])));
  const newer: Version = { value: 'back', ts: { wallMs: nowMs, counter: 0, nodeId: 1 } };
  const readFrom = options.readFrom;
  options.readFrom = async (node, asked) => {
    store.put(asked, newer);
    return readFrom(node, asked);
  };
  t.is(await purgeTombstones(options), 0);
  t.deepEqual(store.get(key), newer);
});
