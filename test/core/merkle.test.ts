import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import {
  buildMerkleTree,
  diffMerkleTrees,
  leafOf,
  merkleDepthDefault,
  merkleRoot,
} from '../../src/core/merkle.js';
import { versionsEqual, type Version } from '../../src/core/version.js';
import { tombstone, value, versionArbitrary } from './arbitraries.js';
import { holds } from './property.js';

type Entry = [string, Version];

const depthArbitrary = fc.integer({ min: 0, max: 8 });
// Few distinct keys, so edits often land on keys that exist and leaves hold several keys.
const keyArbitrary = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a', 'b', 'c', 'd'));
const entriesArbitrary: fc.Arbitrary<Entry[]> = fc.uniqueArray(
  fc.tuple(keyArbitrary, versionArbitrary),
  { selector: ([key]) => key, maxLength: 40 },
);

type Edit = { kind: 'put'; key: string; version: Version } | { kind: 'remove'; key: string };
const editArbitrary: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key: keyArbitrary, version: versionArbitrary }),
  fc.record({ kind: fc.constant('remove' as const), key: keyArbitrary }),
);

/** The leaves holding a key whose version is not the same in both. */
function leavesThatDiffer(
  a: Map<string, Version>,
  b: Map<string, Version>,
  depth: number,
): number[] {
  const leaves = new Set<number>();
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    if (!versionsEqual(a.get(key), b.get(key))) leaves.add(leafOf(key, depth));
  }
  return [...leaves].sort((x, y) => x - y);
}

test('equal data gives equal trees whatever order the keys come in', (t) => {
  const shuffled = entriesArbitrary.chain((entries) =>
    fc.tuple(
      fc.constant(entries),
      fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }),
      depthArbitrary,
    ),
  );
  holds(
    t,
    fc.property(shuffled, ([entries, reordered, depth]) => {
      const tree = buildMerkleTree(entries, depth);
      assert.deepEqual(buildMerkleTree(reordered, depth), tree);
      assert.deepEqual(diffMerkleTrees(tree, buildMerkleTree(reordered, depth)), []);
    }),
  );
});

test('changing one version changes exactly the leaf of its key', (t) => {
  holds(
    t,
    fc.property(
      entriesArbitrary.filter((entries) => entries.length > 0),
      fc.nat(),
      versionArbitrary,
      depthArbitrary,
      (entries, pick, changed, depth) => {
        const index = pick % entries.length;
        const [key, held] = entries[index]!;
        fc.pre(!versionsEqual(held, changed));
        const edited = entries.map((entry, i): Entry => (i === index ? [key, changed] : entry));
        const before = buildMerkleTree(entries, depth);
        const after = buildMerkleTree(edited, depth);
        assert.deepEqual(diffMerkleTrees(before, after), [leafOf(key, depth)]);
        assert.notEqual(merkleRoot(before), merkleRoot(after));
      },
    ),
  );
});

test('a diff finds exactly the leaves where the data differs', (t) => {
  holds(
    t,
    fc.property(
      entriesArbitrary,
      fc.array(editArbitrary, { maxLength: 20 }),
      depthArbitrary,
      (entries, edits, depth) => {
        const before = new Map(entries);
        const after = new Map(entries);
        for (const edit of edits) {
          if (edit.kind === 'put') after.set(edit.key, edit.version);
          else after.delete(edit.key);
        }
        const differing = diffMerkleTrees(
          buildMerkleTree(before, depth),
          buildMerkleTree(after, depth),
        );
        assert.deepEqual(differing, leavesThatDiffer(before, after, depth));
        assert.deepEqual(
          diffMerkleTrees(buildMerkleTree(after, depth), buildMerkleTree(before, depth)),
          differing,
        );
      },
    ),
  );
});

test('puts every key in one of the 2^depth leaves', (t) => {
  holds(
    t,
    fc.property(fc.string(), fc.integer({ min: 0, max: 16 }), (key, depth) => {
      const leaf = leafOf(key, depth);
      assert.ok(Number.isInteger(leaf) && leaf >= 0 && leaf < 2 ** depth, `leaf ${leaf}`);
    }),
  );
});

test('puts every key in leaf 0 of a tree of depth 0', (t) => {
  t.is(leafOf('anything', 0), 0);
  const differing = diffMerkleTrees(
    buildMerkleTree([['k', value('a', 1)]], 0),
    buildMerkleTree([['k', value('b', 1)]], 0),
  );
  t.deepEqual(differing, [0]);
});

test('builds a tree of the default depth with one node per leaf and subtree', (t) => {
  const tree = buildMerkleTree([['k', value('a', 1)]]);
  t.is(tree.depth, merkleDepthDefault);
  t.is(tree.nodes.length, 2 ** (merkleDepthDefault + 1));
});

test('tells a delete from the value it replaced at the same timestamp', (t) => {
  const differing = diffMerkleTrees(
    buildMerkleTree([['k', value('a', 5)]], 4),
    buildMerkleTree([['k', tombstone(5)]], 4),
  );
  t.deepEqual(differing, [leafOf('k', 4)]);
});

test('tells an empty replica from one that holds a key', (t) => {
  const differing = diffMerkleTrees(
    buildMerkleTree([], 4),
    buildMerkleTree([['k', value('', 1)]], 4),
  );
  t.deepEqual(differing, [leafOf('k', 4)]);
});

test('refuses to compare trees of different depths', (t) => {
  t.throws(() => diffMerkleTrees(buildMerkleTree([], 3), buildMerkleTree([], 4)), {
    instanceOf: RangeError,
    message: /depth 3 and 4/,
  });
});
