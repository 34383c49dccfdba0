import test from 'ava';
import type { QuartetError } from '../../src/core/errors.js';
import { FrameBudget } from '../../src/protocol/frame-budget.js';
import { encodeFrame, FrameDecoder, oversizeSkipFactorMax } from '../../src/protocol/frame.js';
import { frameHeaderBytes } from '../../src/protocol/limits.js';
import { throwsCode } from './expect.js';

function recovering(frameBytesMax: number, budget?: FrameBudget) {
  const errors: QuartetError[] = [];
  const decoder = new FrameDecoder(frameBytesMax, { budget, onFrameError: (e) => errors.push(e) });
  return { decoder, errors };
}

test('a frame over the limit is reported, its body skipped as it arrives, and the next frame decodes', (t) => {
  const { decoder, errors } = recovering(1_024);
  const huge = encodeFrame({ type: 'put', id: 1, value: 'x'.repeat(5_000) });
  const next = encodeFrame({ type: 'stats', id: 2 });
  const stream = Buffer.concat([huge, next]);
  const messages: unknown[] = [];
  for (let offset = 0; offset < stream.length; offset += 700)
    messages.push(...decoder.push(stream.subarray(offset, offset + 700)));
  t.deepEqual(messages, [{ type: 'stats', id: 2 }]);
  t.is(errors.length, 1);
  t.is(errors[0]!.code, 'TOO_LARGE');
  t.regex(errors[0]!.message, /over the limit of 1024 bytes/);
  t.is(decoder.bufferedBytes, 0, 'nothing of the skipped body is held');
});

test('a body that is not MessagePack is reported and the frames after it decode', (t) => {
  const { decoder, errors } = recovering(1_024);
  const bad = Buffer.from([0, 0, 0, 2, 0xc1, 0xc1]);
  const messages = decoder.push(Buffer.concat([bad, encodeFrame({ id: 3 })]));
  t.deepEqual(messages, [{ id: 3 }]);
  t.is(errors[0]?.code, 'BAD_REQUEST');
});

test('incomplete frames of many decoders share one budget; past it a push throws OVERLOADED', (t) => {
  const frame = encodeFrame({ value: 'v'.repeat(1_000) });
  const partial = frame.subarray(0, frame.length - 10);
  const budget = new FrameBudget(partial.length * 2);
  const [first, second, third] = [1, 2, 3].map(() => new FrameDecoder(4_096, { budget }));
  first!.push(partial);
  second!.push(partial);
  t.is(budget.usedBytes, partial.length * 2);
  const error = throwsCode(t, () => third!.push(partial), 'OVERLOADED');
  t.regex(error.message, /incomplete frames \(limit \d+\)/);
  t.is(third!.bufferedBytes, 0, 'the refused decoder holds nothing');
  t.deepEqual(first!.push(frame.subarray(frame.length - 10)), [{ value: 'v'.repeat(1_000) }]);
  t.is(budget.usedBytes, partial.length, 'a whole frame gives its bytes back');
  second!.release();
  t.is(budget.usedBytes, 0, 'a closed connection gives its bytes back');
  third!.push(partial);
  t.is(budget.usedBytes, partial.length, 'room again after the release');
});

test('a decoder that leaves the budget gives back what it holds and is not charged again', (t) => {
  const budget = new FrameBudget(100);
  const decoder = new FrameDecoder(4_096, { budget });
  const frame = encodeFrame({ value: 'v'.repeat(500) });
  decoder.push(frame.subarray(0, 50));
  t.is(budget.usedBytes, 50);
  decoder.leaveBudget();
  t.is(budget.usedBytes, 0);
  decoder.push(frame.subarray(50, frame.length - 1));
  t.is(budget.usedBytes, 0);
  t.is(decoder.bufferedBytes, frame.length - 1);
  t.deepEqual(decoder.push(frame.subarray(frame.length - 1)), [{ value: 'v'.repeat(500) }]);
});

test('a header split over chunks after a partial frame is read whole', (t) => {
  const { decoder } = recovering(1_024);
  const frames = Buffer.concat([encodeFrame({ id: 1 }), encodeFrame({ id: 2 })]);
  const cut = encodeFrame({ id: 1 }).length + 2;
  t.deepEqual(decoder.push(frames.subarray(0, cut)), [{ id: 1 }]);
  t.is(decoder.bufferedBytes, 2);
  t.deepEqual(decoder.push(frames.subarray(cut, cut + 1)), []);
  t.deepEqual(decoder.push(frames.subarray(cut + 1)), [{ id: 2 }]);
  t.true(frameHeaderBytes > 2);
});

test('a frame header far past the limit is taken for garbage: TOO_LARGE and the stream ends', (t) => {
  const decoder = new FrameDecoder(1024, { onFrameError: () => t.fail('not skipped') });
  const header = Buffer.alloc(4);
  header.writeUInt32BE(1024 * oversizeSkipFactorMax + 1);
  const error = t.throws(() => decoder.push(header));
  t.is((error as QuartetError).code, 'TOO_LARGE');
});
