// The validators of what arrives over a socket: requests, peer arrays, peer replies, results.
import fc from 'fast-check';
import { encodeBody, decodeBody } from '../../../src/protocol/codec.js';
import {
  decodePeerReply,
  decodePeerRequest,
  encodePeerRequest,
  type PeerRequestBody,
} from '../../../src/protocol/peer-wire.js';
import { decodeDataRequest, encodeDataRequest } from '../../../src/protocol/request-wire.js';
import { decodeResult } from '../../../src/protocol/result-wire.js';
import { validatePeerReply, validateRequest } from '../../../src/protocol/validate.js';
import { mutatedBytesArbitrary } from '../mutate.js';
import { acceptOrReject, check } from '../oracle.js';
import {
  anythingArbitrary,
  fuzzLimits,
  nearCountArbitrary,
  nearKeyArbitrary,
  nearLevelArbitrary,
  validClientArrays,
  validClientRequests,
  validPeerArrays,
  validPeerReplies,
  validResults,
} from '../samples.js';
import { defineTarget } from '../target.js';

const codes = ['BAD_REQUEST', 'TOO_LARGE'] as const;

/** Valid messages encoded, their bytes mutated, decoded again where MessagePack still parses. */
function mutatedMessages(samples: readonly unknown[]): fc.Arbitrary<unknown> {
  return mutatedBytesArbitrary(samples.map((sample) => encodeBody(sample))).map((bytes) => {
    try {
      return decodeBody(bytes);
    } catch {
      // Bytes that are no longer MessagePack: the frame target covers them; try the raw bytes.
      return bytes;
    }
  });
}

const nearTsArbitrary = fc.oneof(
  fc.record({
    wallMs: nearCountArbitrary,
    counter: nearCountArbitrary,
    nodeId: nearCountArbitrary,
  }),
  anythingArbitrary,
);
const nearVersionArbitrary = fc.oneof(
  fc.record({ value: fc.oneof(fc.constant(null), nearKeyArbitrary), ts: nearTsArbitrary }),
  anythingArbitrary,
);

export const nearRequestArbitrary = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom('get', 'put', 'delete', 'stats', 'dump', 'local', 'anti-entropy', 'auth'),
      fc.constantFrom(
        'read',
        'write',
        'repair',
        'ping',
        'tree',
        'range',
        '__proto__',
        'constructor',
      ),
      anythingArbitrary,
    ),
    id: nearCountArbitrary,
    key: nearKeyArbitrary,
    op: fc.oneof(fc.constantFrom('insert', 'update'), anythingArbitrary),
    value: nearKeyArbitrary,
    level: nearLevelArbitrary,
    version: nearVersionArbitrary,
    from: nearCountArbitrary,
    mac: fc.oneof(fc.uint8Array({ maxLength: 40 }), anythingArbitrary),
    peers: fc.oneof(fc.array(nearCountArbitrary, { maxLength: 4 }), anythingArbitrary),
    depth: fc.oneof(fc.nat(20), nearCountArbitrary),
    leaves: fc.oneof(fc.array(fc.nat(70000), { maxLength: 6 }), anythingArbitrary),
  },
  { requiredKeys: [] },
);

export const requestTarget = defineTarget({
  name: 'requests',
  description: 'maps a client or peer sends, through validateRequest',
  arbitrary: fc.oneof(
    anythingArbitrary,
    nearRequestArbitrary,
    mutatedMessages(validClientRequests),
  ),
  run(input: unknown) {
    const request = acceptOrReject(() => validateRequest(input, fuzzLimits), codes);
    if (request === undefined) return;
    check(request.type === (input as { type: unknown }).type, 'accepted with another type');
    if ('key' in request)
      check(
        Buffer.byteLength(request.key) <= fuzzLimits.keyBytesMax,
        'accepted a key over the limit',
      );
    if ('value' in request)
      check(
        Buffer.byteLength(request.value) <= fuzzLimits.valueBytesMax,
        'accepted a value over the limit',
      );
  },
});

// Arrays shaped like the positional peer messages, with the given tags or anything in front.
function nearPeerArrayArbitrary(tags: readonly number[]): fc.Arbitrary<unknown[]> {
  return fc.oneof(
    fc.array(anythingArbitrary, { maxLength: 8 }),
    fc
      .tuple(
        fc.oneof(fc.constantFrom(...tags), fc.integer({ min: 0, max: 7 }), anythingArbitrary),
        nearCountArbitrary,
        nearKeyArbitrary,
        fc.oneof(fc.constant(null), nearKeyArbitrary),
        nearCountArbitrary,
        nearCountArbitrary,
        nearCountArbitrary,
      )
      .chain((full) => fc.nat(8).map((length) => full.slice(0, length))),
  );
}

export const peerRequestTarget = defineTarget({
  name: 'peer-requests',
  description: 'positional arrays from an authenticated peer, through decodePeerRequest',
  arbitrary: fc.oneof(
    nearPeerArrayArbitrary([1, 2, 3, 4]),
    mutatedMessages(validPeerArrays).filter((message) => Array.isArray(message)),
  ),
  run(input: unknown) {
    const wire = input as unknown[];
    const request = acceptOrReject(() => decodePeerRequest(wire, fuzzLimits), codes);
    if (request === undefined) return;
    const { id, ...body } = request;
    // What was accepted is exactly what encodes back to the input: nothing dropped or invented.
    check(
      JSON.stringify(encodePeerRequest(body as PeerRequestBody, id)) === JSON.stringify(wire),
      'accepted an array that does not encode back to itself',
    );
  },
});

export const clientArrayTarget = defineTarget({
  name: 'client-arrays',
  description: "a client's positional get, put and delete, through decodeDataRequest",
  arbitrary: fc.oneof(
    fc.array(anythingArbitrary, { maxLength: 7 }),
    fc
      .tuple(
        fc.oneof(fc.integer({ min: 10, max: 15 }), anythingArbitrary),
        nearCountArbitrary,
        nearKeyArbitrary,
        fc.oneof(nearLevelArbitrary, nearKeyArbitrary),
        fc.oneof(nearLevelArbitrary, nearCountArbitrary),
        fc.oneof(fc.constant(null), nearCountArbitrary),
      )
      .chain((full) => fc.nat(7).map((length) => full.slice(0, length))),
    mutatedMessages(validClientArrays).filter((message) => Array.isArray(message)),
  ),
  run(input: unknown) {
    const wire = input as unknown[];
    const request = acceptOrReject(() => decodeDataRequest(wire, fuzzLimits), codes);
    if (request === undefined) return;
    check(
      Buffer.byteLength(request.key) <= fuzzLimits.keyBytesMax,
      'accepted a key over the limit',
    );
    if (request.type === 'put')
      check(
        Buffer.byteLength(request.value) <= fuzzLimits.valueBytesMax,
        'accepted a value over the limit',
      );
    // Accepted is what encodes back to the input, up to a nil level or traceOp left out.
    const back = encodeDataRequest(request);
    const trimmed =
      wire.length > back.length && wire[wire.length - 1] === null ? wire.slice(0, -1) : wire;
    check(
      JSON.stringify(back) === JSON.stringify(trimmed),
      'accepted an array that does not encode back to itself',
    );
  },
});

const nearReplyMapArbitrary = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom('read-reply', 'write-reply', 'tree-reply', 'range-reply', 'error'),
      anythingArbitrary,
    ),
    id: nearCountArbitrary,
    version: nearVersionArbitrary,
    created: anythingArbitrary,
    applied: anythingArbitrary,
    before: nearTsArbitrary,
    depth: fc.oneof(fc.nat(17), nearCountArbitrary),
    nodes: fc.oneof(fc.array(nearCountArbitrary, { maxLength: 8 }), anythingArbitrary),
    served: nearCountArbitrary,
    entries: fc.oneof(
      fc.array(fc.record({ key: nearKeyArbitrary, version: nearVersionArbitrary }), {
        maxLength: 3,
      }),
      anythingArbitrary,
    ),
    error: fc.oneof(
      fc.record({ code: anythingArbitrary, message: anythingArbitrary }),
      anythingArbitrary,
    ),
  },
  { requiredKeys: [] },
);

export const peerReplyTarget = defineTarget({
  name: 'peer-replies',
  description:
    'replies from a peer, maps through validatePeerReply and arrays through decodePeerReply',
  arbitrary: fc.oneof(
    nearReplyMapArbitrary,
    nearPeerArrayArbitrary([5, 6]),
    mutatedMessages(validPeerReplies),
    anythingArbitrary,
  ),
  run(input: unknown) {
    acceptOrReject(
      () =>
        Array.isArray(input)
          ? decodePeerReply(input, fuzzLimits)
          : validatePeerReply(input, fuzzLimits),
      codes,
    );
  },
});

export const resultTarget = defineTarget({
  name: 'results',
  description: 'result arrays a node sends its client, through decodeResult',
  arbitrary: fc.oneof(
    fc.array(anythingArbitrary, { maxLength: 12 }),
    mutatedMessages(validResults).filter((message) => Array.isArray(message)),
    fc.tuple(
      fc.constant(1),
      nearCountArbitrary,
      nearLevelArbitrary,
      nearCountArbitrary,
      nearCountArbitrary,
      fc.oneof(fc.boolean(), anythingArbitrary),
      fc.oneof(fc.constant(null), nearKeyArbitrary),
      fc.oneof(fc.constant(null), nearCountArbitrary),
      fc.oneof(fc.constant(null), nearCountArbitrary),
      fc.oneof(fc.constant(null), nearCountArbitrary),
      fc.oneof(
        // Flat replica reports, six elements each, or a few elements off.
        fc.array(fc.oneof(fc.constant(null), nearCountArbitrary, fc.boolean()), {
          maxLength: 25,
        }),
        anythingArbitrary,
      ),
    ),
  ),
  run(input: unknown) {
    const sent = { op: 'get' as const, key: 'k', coordinator: 1 };
    const result = acceptOrReject(() => decodeResult(input as unknown[], sent), ['BAD_REQUEST']);
    if (result === undefined) return;
    check(result.acks >= 0 && result.required >= 0, 'accepted negative counts');
  },
});
