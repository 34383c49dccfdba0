import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { levelNames } from '../../src/core/levels.js';
import type { OpResult, ReplicaReport } from '../../src/core/messages.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame.js';
import { OperationError } from '../../src/core/operation-error.js';
import { decodeResult, encodeFailure, encodeResult } from '../../src/protocol/result-wire.js';
import { holds } from '../core/property.js';
import { assertQuartetError, throwsCode } from './expect.js';
import { anythingArbitrary, ts } from './samples.js';

const timestampArbitrary = fc.record(
  { wallMs: fc.oneof(fc.nat(4), fc.maxSafeNat()), counter: fc.nat(), nodeId: fc.nat(1000) },
  { noNullPrototype: true },
);
const reportArbitrary: fc.Arbitrary<ReplicaReport> = fc.record(
  {
    node: fc.integer({ min: 1, max: 8 }),
    state: fc.constantFrom('fresh', 'stale', 'missing', 'pending', 'down'),
    ts: timestampArbitrary,
    created: fc.boolean(),
  },
  { requiredKeys: ['node', 'state'], noNullPrototype: true },
);
const resultArbitrary: fc.Arbitrary<OpResult> = fc.record(
  {
    op: fc.constantFrom('get', 'insert', 'update', 'delete'),
    key: fc.string({ minLength: 1, unit: 'grapheme' }),
    level: fc.constantFrom(...levelNames),
    coordinator: fc.integer({ min: 1, max: 8 }),
    required: fc.nat(5),
    acks: fc.nat(5),
    value: fc.option(fc.string({ unit: 'grapheme' }), { nil: null }),
    found: fc.boolean(),
    ts: timestampArbitrary,
    replicas: fc.array(reportArbitrary, { maxLength: 5 }),
  },
  {
    requiredKeys: [
      'op',
      'key',
      'level',
      'coordinator',
      'required',
      'acks',
      'value',
      'found',
      'replicas',
    ],
    noNullPrototype: true,
  },
);

test('every result comes out of a frame as the coordinator built it', (t) => {
  holds(
    t,
    fc.property(resultArbitrary, fc.nat(), (result, id) => {
      const [wire] = new FrameDecoder(1024 * 1024).push(encodeFrame(encodeResult(id, result)));
      assert.ok(Array.isArray(wire));
      assert.equal(wire[1], id);
      const { op, key, coordinator } = result;
      assert.deepEqual(decodeResult(wire, { op, key, coordinator }), result);
    }),
  );
});

test('a failed operation comes out of a frame as an OperationError with its replicas', (t) => {
  const codes = fc.constantFrom('TIMEOUT' as const, 'UNAVAILABLE' as const);
  holds(
    t,
    fc.property(resultArbitrary, codes, fc.string(), (result, code, message) => {
      const failure = encodeFailure(7, result, { code, message });
      const [wire] = new FrameDecoder(1024 * 1024).push(encodeFrame(failure));
      assert.ok(Array.isArray(wire));
      const { op, key, coordinator } = result;
      assert.throws(
        () => decodeResult(wire, { op, key, coordinator }),
        (error: unknown) =>
          error instanceof OperationError &&
          error.code === code &&
          error.message === message &&
          assert.deepEqual(error.result, result) === undefined,
      );
    }),
  );
});

test('a failure whose error is malformed is BAD_REQUEST', (t) => {
  const sent = { op: 'get' as const, key: 'k', coordinator: 1 };
  const wire = [1, 1, 'one', 1, 0, false, null, null, null, null, [2, 3, null, null, null, null]];
  throwsCode(t, () => decodeResult([...wire, ['NOPE', 'x']], sent), 'BAD_REQUEST');
  throwsCode(t, () => decodeResult([...wire, ['TIMEOUT']], sent), 'BAD_REQUEST');
  throwsCode(t, () => decodeResult([...wire, 'TIMEOUT'], sent), 'BAD_REQUEST');
  const error = throwsCode(t, () => decodeResult([...wire, ['TIMEOUT', 'late']], sent), 'TIMEOUT');
  t.deepEqual((error as OperationError).result.replicas, [{ node: 2, state: 'pending' }]);
});

test('a result array is less than half the bytes of the same result as a map', (t) => {
  const result: OpResult = {
    op: 'get',
    key: 'user1',
    level: 'one',
    coordinator: 1,
    required: 1,
    acks: 1,
    value: 'v'.repeat(100),
    found: true,
    ts,
    replicas: [
      { node: 1, state: 'fresh', ts },
      { node: 2, state: 'pending' },
      { node: 3, state: 'stale', ts },
    ],
  };
  const array = encodeFrame(encodeResult(1, result)).length;
  const map = encodeFrame({ type: 'result', id: 1, result }).length;
  t.true(array * 2 < map, `array ${array} B, map ${map} B`);
});

test('a malformed result array is BAD_REQUEST, never a crash', (t) => {
  const sent = { op: 'get' as const, key: 'k', coordinator: 1 };
  const none = [null, null, null];
  const replica = [1, 0, ...none, null];
  const fields = (level: unknown, ts: unknown[], replicas: unknown[]) => [
    ...[1, 1, level, 1, 1, true, 'v', ...ts, replicas],
  ];
  throwsCode(t, () => decodeResult(fields('lots', none, replica), sent), 'BAD_REQUEST');
  throwsCode(t, () => decodeResult(fields('one', [1, 2, null], replica), sent), 'BAD_REQUEST');
  throwsCode(
    t,
    () => decodeResult(fields('one', none, [1, 9, ...none, null]), sent),
    'BAD_REQUEST',
  );
  throwsCode(t, () => decodeResult(fields('one', none, replica.slice(1)), sent), 'BAD_REQUEST');
  throwsCode(t, () => decodeResult(fields('one', none, [1, 0, ...none, 'x']), sent), 'BAD_REQUEST');
  t.deepEqual(decodeResult(fields('one', none, replica), sent).replicas, [
    { node: 1, state: 'fresh' },
  ]);
  holds(
    t,
    fc.property(fc.array(anythingArbitrary, { maxLength: 12 }), (wire) => {
      try {
        decodeResult(wire, sent);
      } catch (error) {
        // A well-formed failure is an answer, not nonsense: only a decoded error may differ.
        if (!(error instanceof OperationError)) assertQuartetError(error, ['BAD_REQUEST']);
      }
    }),
    { numRuns: 2_000 },
  );
});
