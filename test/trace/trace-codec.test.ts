import test from 'ava';
import fc from 'fast-check';
import { decodeTraceBatch } from '../../src/trace/trace-decoder.js';
import { traceNote } from '../../src/node/tracer.js';
import { TraceEncoder } from '../../src/trace/trace-encoder.js';
import {
  formatTraceLine,
  messageKinds,
  type MsgSendEvent,
  type TraceEvent,
} from '../../src/trace/trace-format.js';
import { buildFixtureTrace, ts } from './trace-builder.js';

const lines = (events: readonly TraceEvent[]) => events.map((event) => formatTraceLine(event));

function roundTrip(events: readonly TraceEvent[]): TraceEvent[] {
  const encoder = new TraceEncoder(1 << 24);
  for (const event of events) if (!encoder.encode(event)) throw new Error('did not fit');
  return decodeTraceBatch(encoder.take());
}

/** A write's `msg-send` from node 1 at `t` = `msg`, delivered with no delay; `fields` override. */
const writeSend = (msg: number, to: number, fields: Partial<MsgSendEvent> = {}): MsgSendEvent => ({
  type: 'msg-send',
  t: msg,
  msg,
  kind: 'write',
  from: 1,
  to,
  op: 7,
  delayMs: 0,
  ...fields,
});

const opComplete = (fields: Partial<Extract<TraceEvent, { type: 'op-complete' }>>): TraceEvent => ({
  type: 'op-complete',
  t: 12,
  op: 2_000_000_017,
  ok: true,
  value: 'v',
  found: true,
  acks: 2,
  required: 2,
  replicas: [
    { node: 1, state: 'fresh', ts: ts(1_733_100_000_123, 4) },
    { node: 2, state: 'stale', ts: { wallMs: 5, counter: 3, nodeId: 2 } },
    { node: 3, state: 'pending' },
  ],
  ...fields,
});

// In the order the producers build their fields (the fixture's builder puts `t` last).
const events: TraceEvent[] = [
  // A read repair as TracedOperation builds it: `to`, `applied`, then `from` when known.
  { type: 'repair', t: 7, op: 2, node: 3, key: 'k', to: ts(9, 1), applied: true, from: ts(4, 2) },
  { type: 'repair', t: 8, op: 2_000_000_001, node: 1, key: 'ключ', to: ts(9, 1), applied: false },
  {
    type: 'msg-send',
    t: 1,
    msg: 3 * 2 ** 32 + 9,
    kind: 'tree',
    from: 3,
    to: 1,
    op: null,
    delayMs: 0.25,
    ranges: 4,
  },
  {
    type: 'msg-send',
    t: 1,
    msg: 3 * 2 ** 32 + 10,
    kind: 'range-reply',
    from: 3,
    to: 1,
    op: null,
    delayMs: 0,
    key: 'k',
    ts: ts(1_733_100_000_124, 0),
    keys: 1,
  },
  { type: 'msg-drop', t: 2, msg: 9, why: 'crash' },
  {
    type: 'op-invoke',
    t: 3,
    op: 7,
    client: 'c2',
    node: 1,
    kind: 'delete',
    key: 'ключ ✓',
    level: 'all',
    value: null,
  },
  { type: 'op-invoke', t: 4, op: 8, client: 'c2', node: 1, kind: 'get', key: '', level: 'quorum' },
  opComplete({}),
  opComplete({ value: null, found: false, replicas: [] }),
  (() => {
    // As TracedOperation.fail builds it: value and found deleted, the error last.
    const failed = opComplete({
      ok: false,
      error: { code: 'TIMEOUT', message: 'No quorum: 1 of 2.' },
    });
    delete (failed as { value?: unknown }).value;
    delete (failed as { found?: unknown }).found;
    return failed;
  })(),
  { type: 'events-dropped', t: 5, count: 12 },
  {
    type: 'fault',
    t: 6,
    fault: 'partition',
    groups: [
      [1, 2],
      [3, 4],
    ],
  },
];

test('every kind of event reads back the same; as the producers build them, as the same JSON line', (t) => {
  const fixture = buildFixtureTrace().events;
  t.true(new Set([...fixture, ...events].map((e) => e.type)).size >= 12);
  t.deepEqual(roundTrip(fixture), fixture);
  t.deepEqual(lines(roundTrip(events)), lines(events));
});

test('an event the positional records do not know (a new kind, a name off its list) goes as JSON', (t) => {
  const unknown = [
    { type: 'teleport', t: 1, to: 'mars' },
    { type: 'msg-send', t: 2, msg: 1, kind: 'gossip', from: 1, to: 2, op: null, delayMs: 1 },
    opComplete({ replicas: [{ node: 1, state: 'haunted' as 'fresh' }] }),
  ] as unknown as TraceEvent[];
  t.deepEqual(lines(roundTrip(unknown)), lines(unknown));
});

test('any strings and numbers survive', (t) => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'binary' }),
      fc.option(fc.string({ unit: 'grapheme' }), { nil: undefined }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.nat(),
      (key, value, delayMs, t) => {
        const batch: TraceEvent[] = [
          { type: 'msg-send', t, msg: t + 1, kind: 'write', from: 1, to: 2, op: t, delayMs, key },
          {
            type: 'op-invoke',
            t,
            op: t,
            client: key,
            node: 2,
            kind: 'update',
            key,
            level: 'one',
            ...(value === undefined ? {} : { value }),
          },
        ];
        return JSON.stringify(lines(roundTrip(batch))) === JSON.stringify(lines(batch));
      },
    ),
  );
  t.pass();
});

test('numbers: whole ones in 1-8 bytes, any other exactly (edges of the short form, -0, NaN, ±∞)', (t) => {
  const edges = [0, -0, 1, 127, 128, 16_383, 16_384, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 33 + 5];
  const far = [2 ** 53 - 2, 2 ** 53 - 1, 2 ** 53, -1, 0.5, 1e300, NaN, Infinity, -Infinity];
  for (const value of [...edges, ...far]) {
    const [event] = roundTrip([{ type: 'level-met', t: value, op: value }]);
    t.true(Object.is((event as { t: number }).t, value), `t ${value}`);
    t.true(Object.is((event as { op: number }).op, value), `op ${value}`);
  }
  // One batch of them all, forwards and back: every difference between two of them survives.
  const all = [...edges, ...far, ...[...edges, ...far].reverse()];
  const batch = all.map((value, i): TraceEvent => ({
    type: 'msg-drop',
    t: value,
    msg: -i,
    why: 'loss',
  }));
  t.deepEqual(lines(roundTrip(batch)), lines(batch));
  // A delivery at 2^33 µs (2.4 hours) of message 2^34 + 5 (node 4's fifth): 1 + 5 + 6 bytes
  // against 17 as float64s; the next delivery, 3 µs and one message later, 1 + 1 + 1.
  const encoder = new TraceEncoder(1 << 16);
  encoder.encode({ type: 'msg-deliver', t: 2 ** 33, msg: 4 * 2 ** 32 + 5 });
  t.is(encoder.take().byteLength, 12);
  encoder.encode({ type: 'msg-deliver', t: 2 ** 33, msg: 4 * 2 ** 32 + 5 });
  encoder.encode({ type: 'msg-deliver', t: 2 ** 33 + 3, msg: 4 * 2 ** 32 + 6 });
  t.is(encoder.take().byteLength, 15);
});

test('a message says "the same key" of its operation\'s: the key goes once, every event keeps it', (t) => {
  const write = (msg: number, to: number, key: string) => writeSend(msg, to, { key });
  const invoke: TraceEvent = {
    type: 'op-invoke',
    t: 1,
    op: 7,
    client: 'c',
    node: 1,
    kind: 'update',
    key: 'user1',
    level: 'one',
    value: 'v',
  };
  // Messages two apart: none is the next after the one before (a fan-out's, below).
  const batch = [invoke, write(2, 2, 'user1'), write(4, 3, 'user1'), write(6, 2, 'user22')];
  batch.push(write(8, 3, 'user22'), write(10, 4, 'user1'));
  const size = (events: TraceEvent[]) => {
    const encoder = new TraceEncoder(1 << 16);
    for (const event of events) encoder.encode(event);
    return encoder.take().byteLength;
  };
  t.deepEqual(lines(roundTrip(batch)), lines(batch));
  // Alone, each send writes its key; in the batch 3 of 5 say "the same" (1 + 5, 1 + 5, 1 + 6).
  const alone = batch.reduce((sum, event) => sum + size([event]), 0);
  t.is(alone - size(batch), 6 + 6 + 7);
});

test("an operation's fan-out: a send like the one before it says only its receiver and time", (t) => {
  const version = ts(1_733_100_000_000, 3);
  const send = (n: number, to: number, fields: Partial<MsgSendEvent> = {}) =>
    writeSend(2 ** 33 + n, to, { t: 100 + n, op: 3e9 + 7, key: 'user1', ts: version, ...fields });
  // As a node emits them: sent and written at once (one record each for send and deliver).
  const emit = (encoder: TraceEncoder, event: MsgSendEvent) => {
    const { t: at, msg, from, to, kind, op, key, ts: stamp, delayMs } = event;
    return encoder.encodeSend(at, msg, from, to, traceNote(kind, op, key, stamp), delayMs, true);
  };
  const passedAlone = (event: MsgSendEvent) => {
    const single = new TraceEncoder(1 << 16);
    emit(single, event);
    return single.take().byteLength;
  };
  const passed = (event: MsgSendEvent): TraceEvent[] => [
    event,
    { type: 'msg-deliver', t: event.t, msg: event.msg },
  ];
  const encoder = new TraceEncoder(1 << 16);
  const size = (events: TraceEvent[]) => {
    const fresh = new TraceEncoder(1 << 16);
    for (const event of events) fresh.encode(event);
    return fresh.take().byteLength;
  };
  const fanOut = [send(1, 2), send(2, 3), send(3, 4)];
  for (const event of fanOut) t.true(emit(encoder, event));
  t.is(encoder.count, 6);
  const whole = encoder.take();
  t.deepEqual(lines(decodeTraceBatch(whole)), lines(fanOut.flatMap(passed)));
  // The second and third: a tag, the receiver and the time's difference.
  t.is(whole.byteLength, passedAlone(fanOut[0]!) + 2 * 3);
  // Each decoded send has a version of its own.
  const [first, , second] = decodeTraceBatch(whole) as MsgSendEvent[];
  t.not(first!.ts, second!.ts);

  // Any field that differs, or a message that is not the next, makes a send whole again.
  const unlike = [
    send(5, 3, { msg: 2 ** 33 + 7 }),
    send(8, 2, { ts: ts(1_733_100_000_000, 4) }),
    send(9, 3, { delayMs: 0.5 }),
    send(10, 2, { op: null }),
    send(11, 3, { from: 2 }),
    send(12, 4, { kind: 'repair' }),
    send(13, 2, { key: 'user2' }),
  ];
  const batch = [send(4, 2), ...unlike];
  for (const event of batch) t.true(encoder.encode(event));
  const mixed = encoder.take();
  t.deepEqual(lines(decodeTraceBatch(mixed)), lines(batch));
  // Each a whole record, some with "the same key": more than 3 bytes.
  for (let i = 1; i < batch.length; i++)
    t.true(size(batch.slice(0, i + 1)) - size(batch.slice(0, i)) > 3, `send ${i} whole`);

  // Like a send that was not delivered at once: it is not delivered either. An invocation
  // between them leaves the send like the one before; a new batch starts whole.
  const delayed = [send(20, 2, { delayMs: 1.5 }), send(21, 3, { delayMs: 1.5 })];
  const invoke: TraceEvent = {
    type: 'op-invoke',
    t: 120,
    op: 5,
    client: 'c',
    node: 1,
    kind: 'get',
    key: 'other',
    level: 'one',
  };
  const between = [delayed[0]!, invoke, delayed[1]!];
  for (const event of between) encoder.encode(event);
  t.deepEqual(lines(decodeTraceBatch(encoder.take())), lines(between));
  t.is(size(between), size(between.slice(0, 2)) + 3);
  // A batch's first send is whole even when it matches every field a fresh batch's "previous
  // send" holds but the kind (none yet); as a repeat it would not decode.
  const opening = writeSend(1, 2, { t: 1, kind: messageKinds[0], from: 0, op: null });
  t.deepEqual(lines(roundTrip([opening])), lines([opening]));
  // Delivered at once, then one that was not (sent with no delay): whole.
  emit(encoder, send(30, 2));
  encoder.encode(send(31, 3));
  const unlikeDelivery = [...passed(send(30, 2)), send(31, 3)];
  t.deepEqual(lines(decodeTraceBatch(encoder.take())), lines(unlikeDelivery));
  // The message after -1 is 0, never -0.
  encoder.encode(send(0, 2, { msg: -1 }));
  encoder.encode(send(0, 3, { msg: -0 }));
  const [, minusZero] = decodeTraceBatch(encoder.take()) as MsgSendEvent[];
  t.true(Object.is(minusZero!.msg, -0));
  // Bytes no encoder made: a repeat with no send before it.
  t.throws(() => decodeTraceBatch(whole.subarray(passedAlone(fanOut[0]!))), {
    message: /repeats a send it never wrote/,
  });
});

test('a fan-out send refused at the bound leaves the batch whole; the next batch starts whole', (t) => {
  const version = ts(1_733_100_000_000, 0);
  const send = (msg: number, to: number) => writeSend(msg, to, { op: 9, key: 'k', ts: version });
  const encoder = new TraceEncoder(200);
  t.true(encoder.encode(send(1, 2)));
  // Filled with records that leave the message where it was, until one is refused.
  const filler: TraceEvent[] = [];
  for (let op = 1; encoder.encode({ type: 'level-met', t: 1, op }); op++)
    filler.push({ type: 'level-met', t: 1, op });
  t.false(encoder.encode(send(2, 3)));
  t.is(encoder.count, 1 + filler.length);
  t.deepEqual(lines(decodeTraceBatch(encoder.take())), lines([send(1, 2), ...filler]));
  // Message 1 follows a new batch's 0: like the send of the batch before, and still whole.
  t.true(encoder.encode(send(1, 3)));
  t.deepEqual(lines(decodeTraceBatch(encoder.take())), lines([send(1, 3)]));
});

test('a write\'s op-complete says "the value invoked", an invocation "the same client", a version its wall clock as a difference', (t) => {
  const value = 'v'.repeat(100);
  const invoke = (op: number, client: string, kind: 'update' | 'get'): TraceEvent => ({
    type: 'op-invoke',
    t: op,
    op,
    client,
    node: 1,
    kind,
    key: `user${op}`,
    level: 'one',
    ...(kind === 'update' ? { value } : {}),
  });
  const complete = (op: number, written: string | null) =>
    opComplete({
      t: op + 10,
      op,
      value: written,
      replicas: [{ node: 2, state: 'fresh', ts: ts(1_733_100_000_000 + op, 0) }],
    });
  // Interleaved as on a node: two writes and a read in flight, completed out of order; one
  // write completes with a value other than the one invoked (never the case, but kept exact).
  const batch = [
    invoke(1, 'bench-1', 'update'),
    invoke(2, 'bench-1', 'update'),
    invoke(3, 'bench-2', 'get'),
    complete(2, value),
    complete(3, 'read'),
    complete(1, value),
    invoke(4, 'bench-2', 'update'),
    complete(4, 'other'),
  ];
  t.deepEqual(lines(roundTrip(batch)), lines(batch));
  const size = (events: TraceEvent[]) => {
    const encoder = new TraceEncoder(1 << 16);
    for (const event of events) encoder.encode(event);
    return encoder.take().byteLength;
  };
  // Writes 2 and 1 leave their 100 bytes out (a length byte too); 4 of the 5 invocations after
  // the first name the same client as the one before (8 bytes each: length and 7 letters).
  const alone = batch.reduce((sum, event) => sum + size([event]), 0);
  t.true(alone - size(batch) >= 2 * 101 + 2 * 8, `${alone} alone, ${size(batch)} together`);
  // Two versions a millisecond apart: the second's wall clock is a 1-byte difference, not 6.
  const versions = [complete(7, null), complete(8, null)];
  t.true(
    versions.reduce((sum, event) => sum + size([event]), 0) - size(versions) >= 5,
    'the second wall clock as a difference',
  );
  // A write whose invocation went in an earlier batch completes with its value in full.
  const encoder = new TraceEncoder(1 << 16);
  encoder.encode(invoke(5, 'c', 'update'));
  encoder.take();
  encoder.encode(complete(5, value));
  t.deepEqual(lines(decodeTraceBatch(encoder.take())), lines([complete(5, value)]));
  // Two writes in flight whose ids share a slot (256 apart): the first completes in full.
  const slots = [invoke(10, 'c', 'update'), invoke(266, 'c', 'update')];
  slots.push(complete(10, value), complete(266, value));
  t.deepEqual(lines(roundTrip(slots)), lines(slots));
  const added = (i: number) => size(slots.slice(0, i + 1)) - size(slots.slice(0, i));
  t.true(added(2) > 100, 'the first completion has its value');
  t.true(added(3) < 100, 'the second says "the value invoked"');
  // Once: a second completion of one write (no node emits it) has its value in full.
  const twice = [invoke(20, 'c', 'update'), complete(20, value), complete(20, value)];
  t.deepEqual(lines(roundTrip(twice)), lines(twice));
  // Bytes no encoder made: "the value invoked" of an operation the batch never invoked.
  const bad = new TraceEncoder(1 << 16);
  bad.encode(invoke(6, 'c', 'update'));
  bad.encode(complete(6, value));
  const completion = bad.take().subarray(sizeOfInvoke(invoke(6, 'c', 'update')));
  t.throws(() => decodeTraceBatch(completion), { message: /value of an invocation it lacks/ });
});

function sizeOfInvoke(event: TraceEvent): number {
  const encoder = new TraceEncoder(1 << 16);
  encoder.encode(event);
  return encoder.take().byteLength;
}

test('the bound: an event that would pass it is refused and the batch stays whole', (t) => {
  const encoder = new TraceEncoder(200);
  t.true(encoder.encode({ type: 'level-met', t: 1, op: 1 }));
  const big: TraceEvent = {
    type: 'hint',
    t: 2,
    action: 'stored',
    node: 1,
    target: 2,
    key: 'k'.repeat(300),
  };
  t.false(encoder.encode(big));
  t.true(encoder.encode({ type: 'level-met', t: 3, op: 3 }));
  t.is(encoder.count, 2);
  const batch = encoder.take();
  t.true(batch.byteLength <= 200);
  t.deepEqual(decodeTraceBatch(batch), [
    { type: 'level-met', t: 1, op: 1 },
    { type: 'level-met', t: 3, op: 3 },
  ]);
  t.is(encoder.count, 0);
});

test('a send refused half-written (its key past the bound) leaves the next record whole', (t) => {
  const encoder = new TraceEncoder(200);
  const send = (msg: number, key: string) =>
    writeSend(msg, 2, { t: 1000 * msg, op: 10 * msg, key });
  t.true(encoder.encode(send(1, 'a')));
  t.false(encoder.encode(send(9, 'k'.repeat(300))));
  t.true(encoder.encode(send(2, 'a')));
  t.deepEqual(lines(decodeTraceBatch(encoder.take())), lines([send(1, 'a'), send(2, 'a')]));
});

test('a recycled batch is the next-but-one buffer: a steady node allocates none', (t) => {
  const encoder = new TraceEncoder(1 << 20);
  const buffers = new Set<ArrayBufferLike>();
  let spare: Uint8Array | undefined;
  for (let round = 0; round < 6; round++) {
    for (let i = 0; i < 5000; i++) encoder.encode({ type: 'level-met', t: round, op: i });
    if (spare !== undefined) encoder.recycle(spare);
    const bytes = encoder.take();
    buffers.add(bytes.buffer);
    const decoded = decodeTraceBatch(bytes);
    t.is(decoded.length, 5000);
    t.true(decoded.every((event) => event.t === round));
    spare = bytes;
  }
  t.true(buffers.size <= 4, `${buffers.size} buffers`);
});
