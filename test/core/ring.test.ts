import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { hashString } from '../../src/core/hash.js';
import { Ring, ringOf, ringsCachedMax } from '../../src/core/ring.js';
import { holds } from './property.js';

const fourNodes = [1, 2, 3, 4];
// The config default.
const virtualNodes = 64;
const keys = Array.from({ length: 10_000 }, (_, i) => `key-${i}`);

const ringInputArbitrary = fc
  .uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 })
  .chain((nodeIds) =>
    fc.tuple(
      fc.constant(nodeIds),
      fc.integer({ min: 1, max: nodeIds.length }),
      fc.integer({ min: 1, max: 16 }),
      fc.string({ maxLength: 20 }),
    ),
  );

test('a key is placed on RF distinct nodes of the cluster', (t) => {
  holds(
    t,
    fc.property(ringInputArbitrary, ([nodeIds, replicationFactor, vnodes, key]) => {
      const replicas = new Ring(nodeIds, replicationFactor, vnodes).replicasFor(key);
      assert.equal(replicas.length, replicationFactor);
      assert.equal(new Set(replicas).size, replicationFactor);
      for (const node of replicas) assert.ok(nodeIds.includes(node));
    }),
  );
});

test('the same key on the same cluster always gets the same replicas', (t) => {
  holds(
    t,
    fc.property(ringInputArbitrary, ([nodeIds, replicationFactor, vnodes, key]) => {
      const ring = new Ring(nodeIds, replicationFactor, vnodes);
      const again = new Ring([...nodeIds], replicationFactor, vnodes);
      assert.deepEqual(ring.replicasFor(key), ring.replicasFor(key));
      assert.deepEqual(again.replicasFor(key), ring.replicasFor(key));
    }),
  );
});

test('placement does not depend on the order the servers are listed in', (t) => {
  const ring = new Ring([1, 2, 3, 4], 3, virtualNodes);
  const reversed = new Ring([4, 3, 2, 1], 3, virtualNodes);
  for (const key of keys.slice(0, 1_000)) {
    t.deepEqual(reversed.replicasFor(key), ring.replicasFor(key));
  }
});

test('a smaller replication factor keeps the first replicas of a larger one', (t) => {
  const three = new Ring(fourNodes, 3, virtualNodes);
  const two = new Ring(fourNodes, 2, virtualNodes);
  for (const key of keys.slice(0, 1_000)) {
    t.deepEqual(two.replicasFor(key), three.replicasFor(key).slice(0, 2));
  }
});

test('with four nodes each is the primary for 15–35% of 10,000 keys', (t) => {
  const ring = new Ring(fourNodes, 3, virtualNodes);
  const primaries = new Map<number, number>();
  for (const key of keys) {
    const primary = ring.replicasFor(key)[0]!;
    primaries.set(primary, (primaries.get(primary) ?? 0) + 1);
  }
  t.deepEqual(
    [...primaries.keys()].sort((a, b) => a - b),
    fourNodes,
  );
  for (const [node, count] of primaries) {
    const share = count / keys.length;
    t.true(share >= 0.15 && share <= 0.35, `node ${node} is primary for ${share * 100}% of keys`);
  }
});

test('adding a node moves a key’s primary only onto the new node', (t) => {
  const before = new Ring(fourNodes, 3, virtualNodes);
  const after = new Ring([...fourNodes, 5], 3, virtualNodes);
  let moved = 0;
  for (const key of keys) {
    const primaryBefore = before.replicasFor(key)[0];
    const primaryAfter = after.replicasFor(key)[0];
    if (primaryBefore === primaryAfter) continue;
    moved++;
    t.is(primaryAfter, 5, `key ${key} moved from ${primaryBefore} to ${primaryAfter}`);
  }
  t.true(moved > 0 && moved < keys.length / 2, `${moved} of ${keys.length} keys moved`);
});

test('a replication factor of all nodes places every key on every node', (t) => {
  const ring = new Ring(fourNodes, 4, virtualNodes);
  for (const key of keys.slice(0, 100)) {
    t.deepEqual(
      [...ring.replicasFor(key)].sort((a, b) => a - b),
      fourNodes,
    );
  }
});

const rejects = test.macro({
  exec(t, replicationFactor: number) {
    const error = t.throws(() => new Ring(fourNodes, replicationFactor, virtualNodes), {
      instanceOf: RangeError,
    });
    t.regex(error?.message ?? '', new RegExp(`number of nodes \\(4\\), got ${replicationFactor}`));
  },
  title: (provided = '', replicationFactor: number) =>
    `a replication factor of ${replicationFactor} on four nodes is refused ${provided}`.trim(),
});

test('(above the node count)', rejects, 5);
test('(zero)', rejects, 0);

// Token positions computed the way the ring documents them, to check its ranges independently.
function tokensOf(nodeIds: readonly number[], vnodes: number): number[] {
  return nodeIds
    .flatMap((id) => Array.from({ length: vnodes }, (_, i) => hashString(`node-${id}-vnode-${i}`)))
    .sort((a, b) => a - b);
}

function isInRange(position: number, range: { startExclusive: number; end: number }): boolean {
  const { startExclusive, end } = range;
  if (startExclusive < end) return position > startExclusive && position <= end;
  return position > startExclusive || position <= end; // the arc wraps past zero
}

test('a key falls in the token range between two neighbouring tokens, owned by its primary', (t) => {
  holds(
    t,
    fc.property(ringInputArbitrary, ([nodeIds, replicationFactor, vnodes, key]) => {
      const ring = new Ring(nodeIds, replicationFactor, vnodes);
      const range = ring.tokenRangeFor(key);
      assert.equal(range.hash, hashString(key));
      assert.ok(isInRange(range.hash, range), `hash ${range.hash} outside its range`);
      assert.equal(range.node, ring.replicasFor(key)[0]);
      assert.equal(range.wraps, range.startExclusive >= range.end);
      const tokens = tokensOf(nodeIds, vnodes);
      assert.ok(tokens.includes(range.end) && tokens.includes(range.startExclusive));
      if (tokens.length > 1 && range.startExclusive !== range.end) {
        const inside = tokens.filter((token) => token !== range.end && isInRange(token, range));
        assert.deepEqual(inside, [], 'another token lies inside the range');
      }
    }),
  );
});

test('the key hashing past the last token wraps to the first token’s range', (t) => {
  const ring = new Ring(fourNodes, 3, 2);
  const tokens = tokensOf(fourNodes, 2);
  const key = keys.find((candidate) => hashString(candidate) > tokens.at(-1)!);
  assert.ok(key !== undefined, 'some key hashes past the last token');
  const range = ring.tokenRangeFor(key);
  t.true(range.wraps);
  t.is(range.startExclusive, tokens.at(-1)!);
  t.is(range.end, tokens[0]!);
});

test('ringOf shares one ring per shape, and one of another shape is its own', (t) => {
  const ring = ringOf([1, 2, 3, 4], 3, 16);
  t.is(ringOf([1, 2, 3, 4], 3, 16), ring);
  t.not(ringOf([1, 2, 3, 4], 2, 16), ring);
  t.not(ringOf([1, 2, 3], 3, 16), ring);
  t.deepEqual(
    ringOf([1, 2, 3, 4], 2, 16).replicasFor('k'),
    new Ring([1, 2, 3, 4], 2, 16).replicasFor('k'),
  );
});

test('ringOf keeps at most ringsCachedMax rings', (t) => {
  const first = ringOf([1, 2, 3], 1, 1);
  for (let i = 0; i < ringsCachedMax; i++) ringOf([1, 2, 3], 1, 2 + i);
  t.not(ringOf([1, 2, 3], 1, 1), first);
});
