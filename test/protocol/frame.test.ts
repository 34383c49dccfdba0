import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { levelNames } from '../../src/core/levels.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame.js';
import { frameBytesMaxDefault, frameHeaderBytes } from '../../src/protocol/limits.js';
import { holds } from '../core/property.js';
import { assertQuartetError, throwsCode } from './expect.js';

const record = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) =>
  fc.record(model, { noNullPrototype: true });

const idArbitrary = fc.nat();
const textArbitrary = fc.string({ unit: 'binary', maxLength: 40 });
const bytesArbitrary = fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes));
const timestampArbitrary = record({
  wallMs: fc.nat(),
  counter: fc.nat(),
  nodeId: fc.integer({ min: 1, max: 64 }),
});
// JSON text has no -0 and no prototype tricks: what a message carries after a round trip.
// msgpackr renames a `__proto__` map key on purpose (prototype pollution); quartet never sends one.
const payloadArbitrary = fc
  .jsonValue()
  .map((value) => JSON.parse(JSON.stringify(value)) as unknown)
  .filter((value) => !hasProtoKey(value));

function hasProtoKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Object.hasOwn(value, '__proto__')) return true;
  return Object.values(value).some(hasProtoKey);
}

/** Messages shaped as quartet's, plus arbitrary JSON payloads. */
const messageArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  record({
    type: fc.constant('get'),
    id: idArbitrary,
    key: textArbitrary,
    level: fc.constantFrom(...levelNames),
  }),
  record({
    type: fc.constant('put'),
    id: idArbitrary,
    op: fc.constantFrom('insert', 'update'),
    key: textArbitrary,
    value: textArbitrary,
  }),
  record({
    type: fc.constant('write'),
    id: idArbitrary,
    key: textArbitrary,
    version: record({ value: fc.option(textArbitrary, { nil: null }), ts: timestampArbitrary }),
  }),
  record({ type: fc.constant('welcome'), nodeId: fc.nat(), nonce: bytesArbitrary }),
  record({ type: fc.constant('auth'), from: fc.nat(), mac: bytesArbitrary }),
  record({ type: fc.constant('result'), id: idArbitrary, result: payloadArbitrary }),
);

const streamArbitrary = fc.array(messageArbitrary, { minLength: 1, maxLength: 4 });

const concatFrames = (messages: unknown[]) => Buffer.concat(messages.map((m) => encodeFrame(m)));

// Splits `bytes` at the given offsets (taken modulo its length) into consecutive chunks.
function chunk(bytes: Buffer, cuts: number[]): Buffer[] {
  const offsets = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const offset of [...offsets, bytes.length]) {
    chunks.push(bytes.subarray(start, offset));
    start = offset;
  }
  return chunks;
}

function decodeChunks(chunks: Buffer[], frameBytesMax = frameBytesMaxDefault): unknown[] {
  const decoder = new FrameDecoder(frameBytesMax);
  const messages = chunks.flatMap((piece) => decoder.push(piece));
  assert.equal(decoder.bufferedBytes, 0, 'nothing is left over after whole frames');
  return messages;
}

test('a frame is a 4-byte big-endian body length followed by the body', (t) => {
  const frame = encodeFrame({ type: 'stats', id: 7 });
  t.is(frame.readUInt32BE(0), frame.length - frameHeaderBytes);
  t.deepEqual(new FrameDecoder(1_024).push(frame), [{ type: 'stats', id: 7 }]);
});

test('any message decodes back to itself', (t) => {
  holds(
    t,
    fc.property(messageArbitrary, (message) => {
      assert.deepEqual(decodeChunks([encodeFrame(message)]), [message]);
    }),
  );
});

test('several frames in one chunk come out as several messages in order', (t) => {
  holds(
    t,
    fc.property(streamArbitrary, (messages) => {
      assert.deepEqual(decodeChunks([concatFrames(messages)]), messages);
    }),
  );
});

test('frames split at every possible byte boundary decode the same', (t) => {
  holds(
    t,
    fc.property(streamArbitrary, (messages) => {
      const bytes = concatFrames(messages);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const halves = [bytes.subarray(0, cut), bytes.subarray(cut)];
        assert.deepEqual(decodeChunks(halves), messages, `split at byte ${cut}`);
      }
    }),
    { numRuns: 50 },
  );
});

test('frames delivered in random chunks, down to single bytes, decode the same', (t) => {
  holds(
    t,
    fc.property(streamArbitrary, fc.array(fc.nat(), { maxLength: 300 }), (messages, cuts) => {
      const bytes = concatFrames(messages);
      assert.deepEqual(decodeChunks(chunk(bytes, cuts)), messages);
    }),
  );
});

test('a truncated frame yields no message and no error until its last byte arrives', (t) => {
  const frame = encodeFrame({ type: 'put', id: 1, op: 'insert', key: 'k', value: 'v'.repeat(300) });
  for (let length = 0; length < frame.length; length++) {
    const decoder = new FrameDecoder(1_024);
    t.deepEqual(decoder.push(frame.subarray(0, length)), []);
    t.is(decoder.bufferedBytes, length);
    t.deepEqual(decoder.push(frame.subarray(length)), [
      { type: 'put', id: 1, op: 'insert', key: 'k', value: 'v'.repeat(300) },
    ]);
    t.is(decoder.bufferedBytes, 0);
  }
});

test('a frame over the size limit is refused as TOO_LARGE as soon as its header arrives', (t) => {
  const frame = encodeFrame({ value: 'x'.repeat(200) });
  const bodyBytes = frame.length - frameHeaderBytes;
  const decoder = new FrameDecoder(bodyBytes - 1);
  const error = throwsCode(t, () => decoder.push(frame.subarray(0, frameHeaderBytes)), 'TOO_LARGE');
  t.regex(error.message, new RegExp(`${bodyBytes} bytes is over the limit of ${bodyBytes - 1}`));
  t.is(decoder.bufferedBytes, 0, 'the oversized frame is not buffered');
});

test('a frame exactly at the size limit is accepted', (t) => {
  const frame = encodeFrame({ value: 'x'.repeat(200) });
  t.deepEqual(new FrameDecoder(frame.length - frameHeaderBytes).push(frame), [
    { value: 'x'.repeat(200) },
  ]);
});

test('a frame over the limit behind good frames in the same chunk is still refused', (t) => {
  const good = encodeFrame({ id: 1 });
  const huge = Buffer.alloc(frameHeaderBytes);
  huge.writeUInt32BE(frameBytesMaxDefault + 1, 0);
  throwsCode(
    t,
    () => new FrameDecoder(frameBytesMaxDefault).push(Buffer.concat([good, huge])),
    'TOO_LARGE',
  );
});

const badBody = test.macro({
  exec(t, body: Buffer) {
    const header = Buffer.alloc(frameHeaderBytes);
    header.writeUInt32BE(body.length, 0);
    const error = throwsCode(
      t,
      () => new FrameDecoder(1_024).push(Buffer.concat([header, body])),
      'BAD_REQUEST',
    );
    t.regex(error.message, /not valid MessagePack/);
  },
  title: (provided = '') => `a frame whose body is ${provided} is a BAD_REQUEST`,
});

test('empty', badBody, Buffer.alloc(0));
test('cut short inside a value', badBody, Buffer.from([0x81, 0xa4, 0x74, 0x79]));
test('one value followed by stray bytes', badBody, Buffer.from([0x01, 0x02]));
test('an unknown MessagePack extension', badBody, Buffer.from([0xd4, 0x40, 0x02]));

test('random bytes either decode or fail with BAD_REQUEST or TOO_LARGE, never another error', (t) => {
  holds(
    t,
    fc.property(
      fc.uint8Array({ maxLength: 200 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      (bytes, cuts) => {
        const decoder = new FrameDecoder(64);
        try {
          for (const piece of chunk(Buffer.from(bytes), cuts)) decoder.push(piece);
        } catch (error) {
          assertQuartetError(error, ['BAD_REQUEST', 'TOO_LARGE']);
        }
      },
    ),
    { numRuns: 1_000 },
  );
});

test('random frame bodies either decode or fail with BAD_REQUEST, never another error', (t) => {
  holds(
    t,
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (body) => {
      const header = Buffer.alloc(frameHeaderBytes);
      header.writeUInt32BE(body.length, 0);
      try {
        const messages = new FrameDecoder(1_024).push(Buffer.concat([header, body]));
        assert.equal(messages.length, 1);
      } catch (error) {
        assertQuartetError(error, ['BAD_REQUEST']);
      }
    }),
    { numRuns: 2_000 },
  );
});

test('a bad frame on one connection does not disturb decoding on another', (t) => {
  holds(
    t,
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 64 }),
      messageArbitrary,
      (body, message) => {
        const header = Buffer.alloc(frameHeaderBytes);
        header.writeUInt32BE(body.length, 0);
        try {
          new FrameDecoder(1_024).push(Buffer.concat([header, body]));
        } catch {
          // Whatever the garbage did, the next connection must decode normally.
        }
        assert.deepEqual(decodeChunks([encodeFrame(message)]), [message]);
      },
    ),
    { numRuns: 500 },
  );
});
