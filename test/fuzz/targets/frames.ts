// The frame decoder, fed streams of valid, random, mutated and oversize frames cut at any point.
import fc from 'fast-check';
import { encodeBody } from '../../../src/protocol/codec.js';
import { encodeFrame, FrameDecoder } from '../../../src/protocol/frame.js';
import { frameHeaderBytes } from '../../../src/protocol/limits.js';
import { decodePeerRequest } from '../../../src/protocol/peer-wire.js';
import { decodeDataRequest, isDataRequestArray } from '../../../src/protocol/request-wire.js';
import { validateRequest } from '../../../src/protocol/validate.js';
import { mutatedBytesArbitrary } from '../mutate.js';
import { acceptOrReject, check } from '../oracle.js';
import {
  anythingArbitrary,
  fuzzFrameBytesMax,
  fuzzLimits,
  validClientArrays,
  validClientRequests,
  validPeerArrays,
} from '../samples.js';
import { defineTarget } from '../target.js';

const validMessages = [...validClientRequests, ...validClientArrays, ...validPeerArrays];
const validFrames = validMessages.map((message) => encodeFrame(message));

function frameOf(body: Uint8Array, claimedBytes = body.length): Buffer {
  const header = Buffer.alloc(frameHeaderBytes);
  header.writeUInt32BE(claimedBytes, 0);
  return Buffer.concat([header, body]);
}

interface FramePiece {
  bytes: Buffer;
  valid: unknown;
}

const pieceArbitrary: fc.Arbitrary<FramePiece> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .nat(validFrames.length - 1)
      .map((i) => ({ bytes: validFrames[i]!, valid: validMessages[i] })),
  },
  {
    weight: 2,
    arbitrary: mutatedBytesArbitrary(validFrames).map((bytes) => ({ bytes, valid: undefined })),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 64 })
      .map((body) => ({ bytes: frameOf(body), valid: undefined })),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 64 })
      .map((raw) => ({ bytes: Buffer.from(raw), valid: undefined })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.integer({ min: fuzzFrameBytesMax + 1, max: 0xffffffff }),
        fc.uint8Array({ maxLength: 8 }),
      )
      .map(([claimed, body]) => ({ bytes: frameOf(body, claimed), valid: undefined })),
  },
  {
    weight: 1,
    arbitrary: anythingArbitrary.map((message) => {
      try {
        return { bytes: frameOf(encodeBody(message)), valid: undefined };
      } catch {
        // msgpackr cannot encode some values (symbols, functions): send an empty frame instead.
        return { bytes: frameOf(new Uint8Array(0)), valid: undefined };
      }
    }),
  },
);

export const frameStreamArbitrary = fc
  .tuple(
    fc.array(pieceArbitrary, { minLength: 1, maxLength: 6 }),
    fc.array(fc.nat(), { maxLength: 6 }),
  )
  .map(([pieces, cuts]) => {
    const stream = Buffer.concat(pieces.map((piece) => piece.bytes));
    const points = [...new Set(cuts.map((cut) => cut % (stream.length + 1)))].sort((a, b) => a - b);
    const chunks: Buffer[] = [];
    let from = 0;
    for (const point of [...points, stream.length]) {
      chunks.push(stream.subarray(from, point));
      from = point;
    }
    const allValid = pieces.every((piece) => piece.valid !== undefined);
    return { chunks, expected: allValid ? pieces.map((piece) => piece.valid) : undefined };
  });

// As the node's server does: arrays are a client's data requests or per-operation peer
// messages, maps are requests.
function validateDecoded(message: unknown): void {
  acceptOrReject(
    () =>
      !Array.isArray(message)
        ? validateRequest(message, fuzzLimits)
        : isDataRequestArray(message)
          ? decodeDataRequest(message, fuzzLimits)
          : decodePeerRequest(message, fuzzLimits),
    ['BAD_REQUEST', 'TOO_LARGE'],
  );
}

export const frameDecoderTarget = defineTarget({
  name: 'frames',
  description: 'byte streams through FrameDecoder, then the request validators',
  arbitrary: frameStreamArbitrary,
  run({ chunks, expected }) {
    const decoder = new FrameDecoder(fuzzFrameBytesMax);
    const decoded: unknown[] = [];
    for (const chunk of chunks) {
      const messages = acceptOrReject(() => decoder.push(chunk), ['BAD_REQUEST', 'TOO_LARGE']);
      // A frame that cannot be read ends the stream; the server answers once and closes.
      if (messages === undefined) return;
      check(
        decoder.bufferedBytes <= frameHeaderBytes + fuzzFrameBytesMax,
        `decoder holds ${decoder.bufferedBytes} bytes, over one frame of ${fuzzFrameBytesMax}`,
      );
      for (const message of messages) validateDecoded(message);
      decoded.push(...messages);
    }
    if (expected !== undefined) {
      check(
        encodeBody(decoded).equals(encodeBody(expected)),
        'valid frames cut at any point did not decode to the messages sent',
      );
      check(decoder.bufferedBytes === 0, 'bytes left over after whole frames');
    }
  },
});
