import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { decideWrite, isPurgeable, type WriteDecision } from '../../src/core/replica.js';
import { newestVersion, type Version } from '../../src/core/version.js';
import { tombstone, value, versionArbitrary } from './arbitraries.js';
import { holds } from './property.js';

const decides = test.macro({
  exec(t, held: Version | undefined, incoming: Version, expected: WriteDecision) {
    t.deepEqual(decideWrite(held, incoming), expected);
  },
  title: (provided = '') => `a replica ${provided}`,
});

test('stores the first version of a key and reports it as new', decides, undefined, value('a', 1), {
  apply: true,
  created: true,
});
test(
  'stores a newer value and reports the key as existing',
  decides,
  value('a', 1),
  value('b', 2),
  { apply: true, created: false },
);
test(
  'keeps its value when an older write arrives late',
  decides,
  value('new', 5),
  value('old', 4),
  { apply: false, created: false },
);
test('ignores the same write delivered twice', decides, value('a', 3, 1, 2), value('a', 3, 1, 2), {
  apply: false,
  created: false,
});
test('stores a newer tombstone over a value (a delete)', decides, value('a', 1), tombstone(2), {
  apply: true,
  created: false,
});
test('keeps a value when an older tombstone arrives', decides, value('a', 5), tombstone(4), {
  apply: false,
  created: false,
});
test(
  'reports a key as new when it only held a tombstone',
  decides,
  tombstone(1),
  value('again', 2),
  { apply: true, created: true },
);
test(
  'does not bring back a deleted value with an older write',
  decides,
  tombstone(5),
  value('zombie', 4),
  { apply: false, created: true },
);

// A replica that applies versions through decideWrite, as the node's write path does.
function applyAll(versions: readonly Version[]): Version | undefined {
  let held: Version | undefined;
  for (const incoming of versions) {
    if (decideWrite(held, incoming).apply) held = incoming;
  }
  return held;
}

test('replicas that receive the same versions in any order end equal, holding the newest', (t) => {
  const permutations = fc
    .array(versionArbitrary, { maxLength: 10 })
    .chain((versions) =>
      fc.tuple(
        fc.shuffledSubarray(versions, { minLength: versions.length }),
        fc.shuffledSubarray(versions, { minLength: versions.length }),
      ),
    );
  holds(
    t,
    fc.property(permutations, ([first, second]) => {
      const heldByFirst = applyAll(first);
      assert.deepEqual(heldByFirst, applyAll(second));
      assert.deepEqual(heldByFirst, newestVersion(first));
    }),
  );
});

test('a replica that receives a version again does not apply it again', (t) => {
  holds(
    t,
    fc.property(fc.array(versionArbitrary, { minLength: 1, maxLength: 6 }), (versions) => {
      const held = applyAll(versions);
      assert.equal(decideWrite(held, held!).apply, false);
    }),
  );
});

const purges = test.macro({
  exec(t, version: Version, nowMs: number, expected: boolean) {
    t.is(isPurgeable(version, nowMs, 1_000), expected);
  },
  title: (provided = '') => `with a grace period of 1000 ms, ${provided}`,
});

test('a tombstone older than the grace period may be purged', purges, tombstone(100), 1_101, true);
test('a tombstone within the grace period is kept', purges, tombstone(100), 1_100, false);
test('a value is never purged however old', purges, value('x', 100), 1_000_000, false);
