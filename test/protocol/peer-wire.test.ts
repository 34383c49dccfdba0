import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import type { PeerReply } from '../../src/core/messages.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame.js';
import {
  decodePeerReply,
  decodePeerRequest,
  encodePeerReply,
  encodePeerRequest,
  type PeerRequestBody,
} from '../../src/protocol/peer-wire.js';
import { holds } from '../core/property.js';
import { assertQuartetError, throwsCode } from './expect.js';
import { anythingArbitrary, limits, ts } from './samples.js';

const wideLimits = { keyBytesMax: 1024, valueBytesMax: 64 * 1024 };

/** Through a real frame and back, as a peer would receive it. */
function throughFrame(wire: unknown): unknown {
  const [decoded] = new FrameDecoder(1024 * 1024).push(encodeFrame(wire));
  return decoded;
}

const keyArbitrary = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' });
// Real wall clocks are past 2^32 ms: those travel as 64-bit numbers.
const timestampArbitrary = fc.record(
  {
    wallMs: fc.oneof(fc.nat(4), fc.maxSafeNat()),
    counter: fc.nat(),
    nodeId: fc.integer({ min: 1, max: 1000 }),
  },
  { noNullPrototype: true },
);
const versionArbitrary = fc.record(
  {
    value: fc.option(fc.string({ maxLength: 200, unit: 'grapheme' }), { nil: null }),
    ts: timestampArbitrary,
  },
  { noNullPrototype: true },
);
const requestArbitrary: fc.Arbitrary<PeerRequestBody> = fc.oneof(
  fc.record({ type: fc.constant('read' as const), key: keyArbitrary }, { noNullPrototype: true }),
  fc.record(
    {
      type: fc.constantFrom('write' as const, 'repair' as const),
      key: keyArbitrary,
      version: versionArbitrary,
    },
    { noNullPrototype: true },
  ),
  fc.record({ type: fc.constant('ping' as const) }, { noNullPrototype: true }),
);
const replyArbitrary: fc.Arbitrary<PeerReply> = fc.oneof(
  fc.record(
    { type: fc.constant('read-reply' as const), id: fc.nat(), version: versionArbitrary },
    { requiredKeys: ['type', 'id'], noNullPrototype: true },
  ),
  fc.record(
    {
      type: fc.constant('write-reply' as const),
      id: fc.nat(),
      created: fc.boolean(),
      applied: fc.boolean(),
      before: timestampArbitrary,
    },
    { requiredKeys: ['type', 'id', 'created', 'applied'], noNullPrototype: true },
  ),
);

test('every per-operation peer request comes out of a frame as it went in', (t) => {
  holds(
    t,
    fc.property(requestArbitrary, fc.nat(), (body, id) => {
      const wire = throughFrame(encodePeerRequest(body, id));
      assert.ok(Array.isArray(wire), 'sent as an array');
      assert.deepEqual(decodePeerRequest(wire, wideLimits), { ...body, id });
    }),
  );
});

test('every per-operation peer reply comes out of a frame as it went in', (t) => {
  holds(
    t,
    fc.property(replyArbitrary, (reply) => {
      const wire = throughFrame(encodePeerReply(reply));
      assert.ok(Array.isArray(wire), 'sent as an array');
      assert.deepEqual(decodePeerReply(wire, wideLimits), reply);
    }),
  );
});

test('a write as an array is a third of the bytes of the same write as a map', (t) => {
  const body = { type: 'write' as const, key: 'user1', version: { value: 'v', ts } };
  const array = encodeFrame(encodePeerRequest(body, 7)).length;
  const map = encodeFrame({ ...body, id: 7 }).length;
  t.true(array * 2 < map, `array ${array} B, map ${map} B`);
});

test('the rarer peer messages stay maps', (t) => {
  t.deepEqual(encodePeerRequest({ type: 'tree', depth: 3 }, 9), { type: 'tree', depth: 3, id: 9 });
  const error: PeerReply = { type: 'error', id: 4, error: { code: 'INTERNAL', message: 'x' } };
  t.is(encodePeerReply(error), error);
});

test('a peer array with an unknown tag, a wrong length or bad fields is BAD_REQUEST', (t) => {
  throwsCode(t, () => decodePeerRequest([9, 1, 'k'], limits), 'BAD_REQUEST');
  throwsCode(t, () => decodePeerRequest([1, 1], limits), 'BAD_REQUEST');
  throwsCode(t, () => decodePeerRequest([1, -1, 'k'], limits), 'BAD_REQUEST');
  throwsCode(t, () => decodePeerRequest([2, 1, 'k', 'v', -5, 0, 1], limits), 'BAD_REQUEST');
  throwsCode(t, () => decodePeerRequest([2, 1, 'k', 7, 1, 0, 1], limits), 'BAD_REQUEST');
  throwsCode(t, () => decodePeerReply([5, 1, 'v', 1, 0], limits), 'BAD_REQUEST');
  throwsCode(t, () => decodePeerReply([1, 1, 'k'], limits), 'BAD_REQUEST');
});

test('a key or value over the limit in a peer array is TOO_LARGE', (t) => {
  throwsCode(t, () => decodePeerRequest([1, 1, 'k'.repeat(17)], limits), 'TOO_LARGE');
  throwsCode(t, () => decodePeerRequest([2, 1, 'k', 'v'.repeat(33), 1, 0, 1], limits), 'TOO_LARGE');
  throwsCode(t, () => decodePeerReply([5, 1, 'v'.repeat(33), 1, 0, 1], limits), 'TOO_LARGE');
});

test('decoding any array as a peer request or reply only throws BAD_REQUEST or TOO_LARGE', (t) => {
  const nearArbitrary = fc.tuple(
    fc.oneof(fc.integer({ min: 0, max: 8 }), anythingArbitrary),
    fc.oneof(fc.nat(), anythingArbitrary),
    fc.array(
      fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.boolean(), anythingArbitrary),
      {
        maxLength: 7,
      },
    ),
  );
  holds(
    t,
    fc.property(
      fc.oneof(
        nearArbitrary.map(([tag, id, rest]) => [tag, id, ...rest]),
        fc.array(anythingArbitrary),
      ),
      (wire) => {
        for (const decode of [decodePeerRequest, decodePeerReply]) {
          try {
            decode(wire, limits);
          } catch (error) {
            assertQuartetError(error, ['BAD_REQUEST', 'TOO_LARGE']);
          }
        }
      },
    ),
    { numRuns: 3_000 },
  );
});

test('a traced request carries its operation id (or nil) as a last element; untraced ones do not', (t) => {
  const version = { value: 'v', ts };
  const traced = [
    { type: 'read', key: 'k', op: 2_000_000_017 },
    { type: 'write', key: 'k', version, op: null },
    { type: 'repair', key: 'k', version, op: 3 },
  ] as const;
  for (const body of traced) {
    const wire = encodePeerRequest(body, 9) as unknown[];
    t.deepEqual(decodePeerRequest(wire, limits), { ...body, id: 9 });
  }
  const plain = encodePeerRequest({ type: 'read', key: 'k' }, 9) as unknown[];
  t.is(plain.length, 3);
  t.false('op' in decodePeerRequest(plain, limits));
  throwsCode(t, () => decodePeerRequest([1, 9, 'k', 'x'], limits), 'BAD_REQUEST');
  throwsCode(t, () => decodePeerRequest([1, 9, 'k', 1, 2], limits), 'BAD_REQUEST');
});
