import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { levelNames } from '../../src/core/levels.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame.js';
import {
  decodeDataRequest,
  encodeDataRequest,
  isDataRequestArray,
  type DataRequest,
} from '../../src/protocol/request-wire.js';
import { validateRequest } from '../../src/protocol/validate.js';
import { holds } from '../core/property.js';
import { assertQuartetError, throwsCode } from './expect.js';
import { anythingArbitrary, limits } from './samples.js';

const keyArbitrary = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' });
const common = {
  id: fc.nat(),
  key: keyArbitrary,
  level: fc.constantFrom(...levelNames),
  traceOp: fc.integer({ min: 1, max: 999_999_999 }),
};
const wideLimits = { keyBytesMax: 1024, valueBytesMax: 64 * 1024 };
const requestArbitrary: fc.Arbitrary<DataRequest> = fc.oneof(
  fc.record(
    { type: fc.constantFrom('get' as const, 'delete' as const), ...common },
    { requiredKeys: ['type', 'id', 'key'], noNullPrototype: true },
  ),
  fc.record(
    {
      type: fc.constant('put' as const),
      op: fc.constantFrom('insert' as const, 'update' as const),
      value: fc.string({ maxLength: 200, unit: 'grapheme' }),
      ...common,
    },
    {
      requiredKeys: ['type', 'op', 'id', 'key', 'value'],
      noNullPrototype: true,
    },
  ),
);

function throughFrame(wire: unknown): unknown[] {
  const [decoded] = new FrameDecoder(1024 * 1024).push(encodeFrame(wire));
  assert.ok(Array.isArray(decoded));
  return decoded;
}

test('every data request comes out of a frame as the client built it, as its map form would', (t) => {
  holds(
    t,
    fc.property(requestArbitrary, (request) => {
      const wire = throughFrame(encodeDataRequest(request));
      assert.ok(isDataRequestArray(wire));
      const decoded = decodeDataRequest(wire, wideLimits);
      assert.deepEqual(decoded, request);
      assert.deepEqual(decoded, validateRequest(request, wideLimits));
    }),
  );
});

test('the array is under half the bytes of the map', (t) => {
  const request: DataRequest = {
    type: 'put',
    id: 1234,
    op: 'update',
    key: 'user1234',
    value: 'v'.repeat(10),
    level: 'one',
  };
  const array = encodeFrame(encodeDataRequest(request)).length;
  const map = encodeFrame(request).length;
  t.true(array * 2 < map, `array ${array} B, map ${map} B`);
});

test('a malformed data request array is BAD_REQUEST or TOO_LARGE, with what is wrong', (t) => {
  const refusals: [unknown[], string, RegExp][] = [
    [[11, 1, 'k'], 'BAD_REQUEST', /get array must have 4 elements/],
    [[12, 1, 'k', 'v', null, 5, 6], 'BAD_REQUEST', /insert array must have 5/],
    [[13, 1, 'k', 7, null], 'BAD_REQUEST', /`value` must be a string/],
    [[14, 1, '', null], 'BAD_REQUEST', /`key` must be a non-empty string/],
    [[11, -1, 'k', null], 'BAD_REQUEST', /`id`/],
    [[11, 1, 'k', 'most'], 'BAD_REQUEST', /Unknown level "most"/],
    [[11, 1, 'k', null, 0], 'BAD_REQUEST', /traceOp/],
    [[15, 1, 'k', null], 'BAD_REQUEST', /Unknown client request tag 15/],
    [[11, 1, 'k'.repeat(limits.keyBytesMax + 1), null], 'TOO_LARGE', /Key of/],
    [[12, 1, 'k', 'v'.repeat(limits.valueBytesMax + 1), null], 'TOO_LARGE', /Value of/],
  ];
  for (const [wire, code, message] of refusals) {
    const error = throwsCode(t, () => decodeDataRequest(wire, limits), code as never);
    t.regex(error.message, message, JSON.stringify(wire).slice(0, 40));
  }
  holds(
    t,
    fc.property(
      fc.oneof(fc.constantFrom(11, 12, 13, 14), anythingArbitrary),
      fc.array(anythingArbitrary, { maxLength: 6 }),
      (tag, rest) => {
        try {
          decodeDataRequest([tag, ...rest], limits);
        } catch (error) {
          assertQuartetError(error, ['BAD_REQUEST', 'TOO_LARGE']);
        }
      },
    ),
    { numRuns: 2_000 },
  );
});

test('peer arrays and results are not data requests', (t) => {
  for (const tag of [1, 2, 3, 4, 5, 6, 10, 15, '11', null]) t.false(isDataRequestArray([tag, 1]));
});
