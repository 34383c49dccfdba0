import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import {
  compareVersions,
  isTombstone,
  mergeVersions,
  newestVersion,
  versionsEqual,
  type Version,
} from '../../src/core/version.js';
import { tombstone, value, versionArbitrary } from './arbitraries.js';
import { holds } from './property.js';

const maybeVersionArbitrary = fc.option(versionArbitrary, { nil: undefined });

test('merging two versions gives the same result in either order', (t) => {
  holds(
    t,
    fc.property(maybeVersionArbitrary, maybeVersionArbitrary, (a, b) => {
      assert.deepEqual(mergeVersions(a, b), mergeVersions(b, a));
    }),
  );
});

test('merging three versions gives the same result however they are grouped', (t) => {
  holds(
    t,
    fc.property(maybeVersionArbitrary, maybeVersionArbitrary, maybeVersionArbitrary, (a, b, c) => {
      assert.deepEqual(
        mergeVersions(mergeVersions(a, b), c),
        mergeVersions(a, mergeVersions(b, c)),
      );
    }),
  );
});

test('merging a version with itself gives that version', (t) => {
  holds(
    t,
    fc.property(maybeVersionArbitrary, (a) => {
      assert.deepEqual(mergeVersions(a, a), a);
    }),
  );
});

test('the merge of two versions is one of them and not older than either', (t) => {
  holds(
    t,
    fc.property(versionArbitrary, versionArbitrary, (a, b) => {
      const merged = mergeVersions(a, b);
      assert.ok(merged === a || merged === b);
      assert.ok(compareVersions(merged!, a) >= 0 && compareVersions(merged!, b) >= 0);
    }),
  );
});

test('merging with no version keeps the version there is', (t) => {
  const held = value('x', 10);
  t.is(mergeVersions(held, undefined), held);
  t.is(mergeVersions(undefined, held), held);
  t.is(mergeVersions(undefined, undefined), undefined);
});

const newest = test.macro({
  exec(t, a: Version, b: Version, winner: Version) {
    t.deepEqual(mergeVersions(a, b), winner);
    t.deepEqual(mergeVersions(b, a), winner);
  },
  title: (provided = '') => `last write wins: ${provided}`,
});

test(
  'a newer value replaces an older value',
  newest,
  value('old', 1),
  value('new', 2),
  value('new', 2),
);
test('a tombstone newer than a value wins', newest, value('x', 5), tombstone(6), tombstone(6));
test('a tombstone older than a value loses', newest, tombstone(5), value('x', 6), value('x', 6));
test(
  'a higher counter wins within the same millisecond',
  newest,
  value('first', 5, 0),
  value('second', 5, 1),
  value('second', 5, 1),
);
test(
  'a higher node id breaks a tie of wall time and counter',
  newest,
  value('from 1', 5, 0, 1),
  value('from 2', 5, 0, 2),
  value('from 2', 5, 0, 2),
);
test(
  'a tombstone wins an exact timestamp tie with a value',
  newest,
  value('x', 5),
  tombstone(5),
  tombstone(5),
);

test('comparison of versions is antisymmetric and zero only for equal versions', (t) => {
  holds(
    t,
    fc.property(versionArbitrary, versionArbitrary, (a, b) => {
      const ab = compareVersions(a, b);
      assert.equal(Math.sign(ab), -Math.sign(compareVersions(b, a)) || 0);
      assert.equal(ab === 0, a.value === b.value && JSON.stringify(a.ts) === JSON.stringify(b.ts));
    }),
  );
});

test('comparison of versions is transitive', (t) => {
  holds(
    t,
    fc.property(versionArbitrary, versionArbitrary, versionArbitrary, (a, b, c) => {
      fc.pre(compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0);
      assert.ok(compareVersions(a, c) <= 0);
    }),
  );
});

test('the newest of several versions does not depend on their order', (t) => {
  holds(
    t,
    fc.property(
      fc
        .array(maybeVersionArbitrary, { maxLength: 8 })
        .chain((versions) =>
          fc.tuple(
            fc.constant(versions),
            fc.shuffledSubarray(versions, { minLength: versions.length }),
          ),
        ),
      ([versions, shuffled]) => {
        const found = newestVersion(versions);
        assert.deepEqual(newestVersion(shuffled), found);
        for (const version of versions) {
          if (version !== undefined) assert.ok(compareVersions(found!, version) >= 0);
        }
      },
    ),
  );
});

test('there is no newest version among none or only missing ones', (t) => {
  t.is(newestVersion([]), undefined);
  t.is(newestVersion([undefined, undefined]), undefined);
});

test('a delete is stored as a tombstone and a value is not one', (t) => {
  t.true(isTombstone(tombstone(1)));
  t.false(isTombstone(value('', 1)), 'an empty string is a value, not a delete');
});

test('versions are equal when value and timestamp match, and missing equals only missing', (t) => {
  t.true(versionsEqual(value('x', 3, 1, 2), value('x', 3, 1, 2)));
  t.false(versionsEqual(value('x', 3), value('y', 3)));
  t.false(versionsEqual(value('x', 3), value('x', 4)));
  t.false(versionsEqual(tombstone(3), value('', 3)));
  t.true(versionsEqual(undefined, undefined));
  t.false(versionsEqual(value('x', 3), undefined));
  t.false(versionsEqual(undefined, tombstone(3)));
});
