// Whatever arrives from a socket, validation may only fail with a QuartetError the node can send.
import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { FrameDecoder } from '../../src/protocol/frame.js';
import { frameHeaderBytes } from '../../src/protocol/limits.js';
import { validatePeerReply, validateRequest } from '../../src/protocol/validate.js';
import { holds } from '../core/property.js';
import { assertQuartetError } from './expect.js';
import { anythingArbitrary, limits, newerRequestTypes, requestTypes } from './samples.js';

// Requests that are close to valid, so validation gets past the first checks.
const nearRequestArbitrary = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom(...requestTypes, ...newerRequestTypes, 'auth'),
      anythingArbitrary,
    ),
    id: fc.oneof(fc.nat(), anythingArbitrary),
    key: fc.oneof(fc.string({ maxLength: 20 }), anythingArbitrary),
    op: fc.oneof(fc.constantFrom('insert', 'update'), anythingArbitrary),
    value: fc.oneof(fc.string({ maxLength: 40 }), anythingArbitrary),
    level: fc.oneof(fc.constantFrom('one', 'quorum', 'all'), anythingArbitrary),
    version: fc.oneof(
      fc.record({
        value: fc.oneof(fc.constant(null), fc.string({ maxLength: 40 }), anythingArbitrary),
        ts: fc.oneof(
          fc.record({ wallMs: fc.integer(), counter: fc.integer(), nodeId: fc.integer() }),
          anythingArbitrary,
        ),
      }),
      anythingArbitrary,
    ),
    from: fc.oneof(fc.nat(), anythingArbitrary),
    mac: fc.oneof(fc.uint8Array(), anythingArbitrary),
    peers: fc.oneof(fc.array(fc.nat(5)), anythingArbitrary),
    depth: fc.oneof(fc.nat(20), anythingArbitrary),
    leaves: fc.oneof(fc.array(fc.nat(64)), anythingArbitrary),
  },
  { requiredKeys: [] },
);

test('validating any value only ever throws BAD_REQUEST or TOO_LARGE', (t) => {
  holds(
    t,
    fc.property(anythingArbitrary, (input) => {
      try {
        validateRequest(input, limits);
      } catch (error) {
        assertQuartetError(error, ['BAD_REQUEST', 'TOO_LARGE']);
      }
    }),
    { numRuns: 2_000 },
  );
});

test('validating near-valid requests only throws QuartetErrors, and what passes is within limits', (t) => {
  holds(
    t,
    fc.property(nearRequestArbitrary, (input) => {
      let request;
      try {
        request = validateRequest(input, limits);
      } catch (error) {
        assertQuartetError(error, ['BAD_REQUEST', 'TOO_LARGE']);
        return;
      }
      assert.equal(request.type, input.type);
      if ('key' in request) assert.ok(Buffer.byteLength(request.key) <= limits.keyBytesMax);
      if ('value' in request) assert.ok(Buffer.byteLength(request.value) <= limits.valueBytesMax);
    }),
    { numRuns: 2_000 },
  );
});

test('random frame bodies decoded and validated only ever throw QuartetErrors', (t) => {
  holds(
    t,
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 48 }), (body) => {
      const header = Buffer.alloc(frameHeaderBytes);
      header.writeUInt32BE(body.length, 0);
      try {
        for (const message of new FrameDecoder(1_024).push(Buffer.concat([header, body]))) {
          validateRequest(message, limits);
        }
      } catch (error) {
        assertQuartetError(error, ['BAD_REQUEST', 'TOO_LARGE']);
      }
    }),
    { numRuns: 5_000 },
  );
});

test('validating any value as a peer reply only ever throws BAD_REQUEST or TOO_LARGE', (t) => {
  const replyArbitrary = fc.record(
    {
      type: fc.oneof(fc.constantFrom('read-reply', 'write-reply', 'error'), anythingArbitrary),
      id: fc.oneof(fc.nat(), anythingArbitrary),
      version: anythingArbitrary,
      before: anythingArbitrary,
      error: anythingArbitrary,
    },
    { requiredKeys: ['type', 'id'] },
  );
  holds(
    t,
    fc.property(fc.oneof(anythingArbitrary, replyArbitrary), (input) => {
      try {
        validatePeerReply(input, limits);
      } catch (error) {
        assertQuartetError(error, ['BAD_REQUEST', 'TOO_LARGE']);
      }
    }),
    { numRuns: 2_000 },
  );
});
