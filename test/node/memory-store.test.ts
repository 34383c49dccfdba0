import test from 'ava';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { configBounds } from '../../src/config/config-defaults.js';
import type { Version } from '../../src/core/version.js';
import {
  deadRatioMaxDefault,
  MemoryStore,
  slabBytesDefault,
} from '../../src/node/storage/memory-store.js';
import { tombstone, value } from '../core/arbitraries.js';
import { holds } from '../core/property.js';

type Operation =
  | { op: 'put'; key: number; version: Version }
  | { op: 'remove'; key: number }
  | { op: 'get'; key: number };

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const unicodeUnit = fc.oneof(
  fc.constantFrom('a', 'é', '€', '😀', '\uFFFD'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  loneSurrogate,
);
/** Strings of every form: empty, ASCII, multi-byte, astral and with lone surrogates. */
const text = (maxLength: number) =>
  fc.oneof(
    fc.constantFrom('', '\uD800', '\uFFFD', '😀'),
    fc.string({ maxLength }),
    fc.string({ unit: unicodeUnit, maxLength }),
  );
const versionOf = fc.record(
  {
    value: fc.option(text(120), { nil: null, freq: 4 }),
    ts: fc.record(
      {
        wallMs: fc.integer({ min: 0, max: 2 ** 48 }),
        counter: fc.nat(),
        nodeId: fc.integer({ min: 1, max: 1000 }),
      },
      { noNullPrototype: true },
    ),
  },
  { noNullPrototype: true },
);
const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ op: fc.constant('put'), key: fc.nat(), version: versionOf }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove'), key: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('get'), key: fc.nat() }) },
) as fc.Arbitrary<Operation>;
const sizes = fc.record({
  slabBytes: fc.constantFrom(64, 256, 512, 4096),
  deadRatioMax: fc.constantFrom(0.1, 0.5, 2),
  indexSlotsInitial: fc.constantFrom(1, 2, 8),
});

test('behaves like a Map over random puts, removes and gets of any Unicode keys', (t) => {
  holds(
    t,
    fc.property(
      sizes,
      fc.uniqueArray(text(12), { minLength: 1, maxLength: 40 }),
      fc.array(operation, { maxLength: 400 }),
      (options, keys, operations) => {
        const store = new MemoryStore(options);
        const model = new Map<string, Version>();
        for (const operation of operations) {
          const key = keys[operation.key % keys.length]!;
          if (operation.op === 'put') {
            store.put(key, operation.version);
            model.set(key, operation.version);
          } else if (operation.op === 'remove') {
            store.remove(key);
            model.delete(key);
            // A removal shifts other keys' slots: each must still be found.
            for (const other of keys) assert.deepEqual(store.get(other), model.get(other));
          }
          assert.deepEqual(store.get(key), model.get(key));
        }
        const listed = [...store.entries()];
        assert.equal(new Set(listed.map(([key]) => key)).size, listed.length);
        assert.deepEqual(new Map(listed), model);
        assert.equal(store.size, model.size);
        const tombstones = [...model.values()].filter((version) => version.value === null);
        assert.equal(store.tombstones, tombstones.length);
        for (const key of keys) assert.deepEqual(store.get(key), model.get(key));
      },
    ),
    { numRuns: 300 },
  );
});

test('keeps memory bounded while the same keys are updated over and over', (t) => {
  const slabBytes = 4096;
  const store = new MemoryStore({ slabBytes });
  const keysCount = 200;
  for (let round = 1; round <= 200; round++) {
    for (let i = 0; i < keysCount; i++) store.put(`key-${i}`, value(`v${round}`.repeat(8), round));
  }
  const stats = store.stats();
  t.true(stats.compactions > 0);
  t.is(stats.keys, keysCount);
  t.true(
    stats.deadBytes <= deadRatioMaxDefault * stats.liveBytes + slabBytes,
    JSON.stringify(stats),
  );
  t.true(stats.heldBytes <= 1.5 * stats.liveBytes + 3 * slabBytes, JSON.stringify(stats));
  t.deepEqual(store.get('key-7'), value('v200'.repeat(8), 200));
});

test('gives its memory back once most keys are removed', (t) => {
  const slabBytes = 4096;
  const store = new MemoryStore({ slabBytes });
  for (let i = 0; i < 5000; i++) store.put(`key-${i}`, value('x'.repeat(40), 1));
  const full = store.stats().heldBytes;
  for (let i = 0; i < 5000; i++) if (i % 100 !== 0) store.remove(`key-${i}`);
  const stats = store.stats();
  t.is(stats.keys, 50);
  t.true(stats.heldBytes < full / 10, JSON.stringify(stats));
  t.deepEqual(store.get('key-4900'), value('x'.repeat(40), 1));
});

test('holds the largest key and value the config allows, far over one slab', (t) => {
  const store = new MemoryStore();
  const key = 'k'.repeat(configBounds.keyBytesCeiling);
  const big = 'v'.repeat(configBounds.valueBytesCeiling);
  t.true(big.length > slabBytesDefault);
  store.put(key, value(big, 1));
  store.put('small', value('s', 1));
  t.is(store.get(key)?.value, big);
  store.put(key, tombstone(2));
  t.deepEqual(store.get(key), tombstone(2));
  t.deepEqual(store.get('small'), value('s', 1));
});

test('holds values bigger than its slabs among small ones', (t) => {
  const store = new MemoryStore({ slabBytes: 128 });
  const big = 'é😀'.repeat(500);
  for (let i = 0; i < 50; i++) store.put(`k${i}`, value(i % 5 === 0 ? big : `v${i}`, 1));
  for (let i = 0; i < 50; i++) t.is(store.get(`k${i}`)?.value, i % 5 === 0 ? big : `v${i}`);
});

test('lists every key exactly once across index growth and compaction', (t) => {
  const store = new MemoryStore({ slabBytes: 1024, indexSlotsInitial: 1 });
  const expected = new Map<string, Version>();
  for (let i = 0; i < 3000; i++) {
    const key = `key-${i % 1200}`;
    const version = i % 7 === 0 ? tombstone(i) : value(`v${i}`, i);
    store.put(key, version);
    expected.set(key, version);
    if (i % 11 === 0) {
      store.remove(`key-${(i * 7) % 1200}`);
      expected.delete(`key-${(i * 7) % 1200}`);
    }
  }
  const listed = [...store.entries()];
  t.true(store.stats().compactions > 0);
  t.is(listed.length, expected.size);
  const byKey = ([a]: [string, Version], [b]: [string, Version]) => (a < b ? -1 : 1);
  t.deepEqual(listed.sort(byKey), [...expected].sort(byKey));
});

test('refuses to go on listing after a write meanwhile', (t) => {
  const store = new MemoryStore();
  store.put('a', value('x', 1));
  store.put('b', value('y', 1));
  const listing = store.entries();
  listing.next();
  store.put('c', value('z', 1));
  t.throws(() => listing.next(), { message: /written while its entries were listed/ });
});

test('keeps apart keys that UTF-8 would make equal', (t) => {
  const store = new MemoryStore();
  store.put('\uD800', value('lone', 1));
  store.put('\uFFFD', value('replacement', 1));
  store.put('', value('\uDC00x', 1));
  t.deepEqual(store.get('\uD800'), value('lone', 1));
  t.deepEqual(store.get('\uFFFD'), value('replacement', 1));
  t.deepEqual(store.get(''), value('\uDC00x', 1));
  t.is(store.size, 3);
});

test('refuses a timestamp counter that does not fit in 32 bits', (t) => {
  const store = new MemoryStore();
  t.throws(() => store.put('k', value('x', 1, 2 ** 32)), { instanceOf: RangeError });
  t.is(store.size, 0);
});
