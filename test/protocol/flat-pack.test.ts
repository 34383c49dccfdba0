import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { decodeBody, encodeBody } from '../../src/protocol/codec.js';
import { flatPack, flatPackBound } from '../../src/protocol/flat-pack.js';
import { holds } from '../core/property.js';

const flatValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -(2 ** 31), max: 2 ** 32 }),
  fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
);
const flatArray = fc.array(fc.oneof(flatValue, fc.array(flatValue, { maxLength: 20 })), {
  maxLength: 40,
});

test('a flat array packed by hand decodes as msgpackr packs it, within its bound', (t) => {
  holds(
    t,
    fc.property(flatArray, (array) => {
      const bound = flatPackBound(array);
      assert.ok(bound >= 0, 'packable');
      const target = Buffer.alloc(bound + 8, 0xee);
      const end = flatPack(target, 4, array);
      assert.ok(end - 4 <= bound, `wrote ${end - 4} bytes, bound ${bound}`);
      assert.equal(target[end], 0xee, 'nothing past the end');
      const body = target.subarray(4, end);
      assert.deepEqual(decodeBody(body), decodeBody(encodeBody(array)));
    }),
  );
});

test('the per-operation messages pack by hand exactly as msgpackr packs them', (t) => {
  const value = 'v'.repeat(100);
  const messages = [
    [1, 7, 'user1'],
    [2, 300, 'user1', value, 1_764_640_000_000, 3, 2],
    [5, 70_000, value, 1_764_640_000_000, 0, 4],
    [6, 1, false, true],
    [1, 9, 'one', 1, 1, true, value, 1_764_640_000_000, 3, 2, [1, 0, null, null, null, null]],
  ];
  for (const message of messages) {
    const target = Buffer.alloc(flatPackBound(message));
    const end = flatPack(target, 0, message);
    t.deepEqual(target.subarray(0, end), encodeBody(message), JSON.stringify(message));
  }
});

test('what only msgpackr packs (maps, binary, undefined) has no bound', (t) => {
  t.is(flatPackBound([1, { a: 1 }]), -1);
  t.is(flatPackBound([1, new Uint8Array(2)]), -1);
  t.is(flatPackBound([1, [undefined]]), -1);
  t.true(flatPackBound([1, ['a', null]]) > 0);
});
