import test from 'ava';
import { IpcTracer, traceFlushIntervalMs } from '../../src/node/ipc-tracer.js';
import type { OpResult } from '../../src/core/messages.js';
import { TracedOperation } from '../../src/node/traced-operation.js';
import {
  traceDeliver,
  traceInvoke,
  tracePassed,
  traceSend,
  type TraceNote,
  type Tracer,
} from '../../src/node/tracer.js';
import { decodeTraceBatch } from '../../src/trace/trace-decoder.js';
import type { TraceEvent } from '../../src/trace/trace-format.js';

const level = (op: number): TraceEvent => ({ type: 'level-met', t: op, op });

test('a stalled channel: events past the bound are counted, not kept, and reported once there is room', (t) => {
  const batches: TraceEvent[][] = [];
  const pending: (() => void)[] = [];
  const tracer = new IpcTracer(
    3,
    0,
    ({ count, bytes }, done) => {
      const events = decodeTraceBatch(bytes);
      t.is(count, events.length);
      batches.push(events);
      pending.push(done);
    },
    4,
  );
  for (let op = 1; op <= 4; op++) tracer.emit(level(op));
  // Full: the first batch goes out at once; the channel does not answer.
  t.is(batches.length, 1);
  t.deepEqual(
    batches[0]!.map((e) => e.type === 'level-met' && e.op),
    [1, 2, 3, 4],
  );
  for (let op = 5; op <= 8; op++) tracer.emit(level(op)); // fills the buffer again
  for (let op = 9; op <= 15; op++) tracer.emit(level(op)); // no room: counted
  t.is(batches.length, 1, 'one batch on the way at a time');
  t.is(tracer.dropped, 7);
  pending.shift()!();
  t.is(tracer.dropped, 0);
  tracer.flush();
  t.is(batches.length, 2);
  const second = batches[1]!;
  t.deepEqual(
    second.slice(0, 4).map((e) => e.type === 'level-met' && e.op),
    [5, 6, 7, 8],
  );
  t.like(second[4], { type: 'events-dropped', count: 7 });
});

test('events below the bound go out together on the flush timer; message ids are unique per node', async (t) => {
  let sent: (events: TraceEvent[]) => void = () => {};
  const batch = new Promise<TraceEvent[]>((resolve) => (sent = resolve));
  const tracer = new IpcTracer(2, 0, ({ bytes }, done) => {
    sent(decodeTraceBatch(bytes));
    done();
  });
  const startedMs = performance.now();
  tracer.emit(level(1));
  tracer.emit(level(2));
  t.is((await batch).length, 2);
  t.true(performance.now() - startedMs >= traceFlushIntervalMs - 1);
  const other = new IpcTracer(3, 0, () => {});
  t.not(tracer.messageId(), other.messageId());
  t.true(tracer.nowUs() > 0);
});

test('whenSent waits for the batch on the way and for what was emitted after it', (t) => {
  const pending: (() => void)[] = [];
  const tracer = new IpcTracer(1, 0, (_events, done) => pending.push(done), 2);
  tracer.emit(level(1));
  tracer.emit(level(2)); // full: on the way
  tracer.emit(level(3));
  let sent = false;
  tracer.whenSent(() => (sent = true));
  pending.shift()!(); // the first batch arrived; the second goes out
  t.false(sent);
  t.is(pending.length, 1);
  pending.shift()!();
  t.true(sent);
});

test('the buffer is bounded in bytes too: an event past the bound is counted as dropped', (t) => {
  const batches: TraceEvent[][] = [];
  const pending: (() => void)[] = [];
  const bytesMax = 4096;
  const tracer = new IpcTracer(
    1,
    0,
    ({ bytes }, done) => {
      t.true(bytes.byteLength <= bytesMax);
      batches.push(decodeTraceBatch(bytes));
      pending.push(done);
    },
    100,
    bytesMax,
  );
  const invoke = (op: number, value: string): TraceEvent => ({
    type: 'op-invoke',
    t: op,
    op,
    client: 'c1',
    node: 1,
    kind: 'insert',
    key: 'k',
    level: 'one',
    value,
  });
  tracer.emit(invoke(1, 'x'.repeat(3000)));
  tracer.emit(invoke(2, 'y'.repeat(3000))); // does not fit: dropped, the first batch goes out
  t.is(batches.length, 1);
  t.is(tracer.dropped, 1);
  tracer.emit(invoke(3, 'z'.repeat(5000))); // never fits
  pending.shift()!();
  tracer.flush();
  t.like(batches[0]![0], { op: 1 });
  const markers = batches[1]!;
  t.true(markers.every((event) => event.type === 'events-dropped'));
  t.is(
    markers.reduce((sum, event) => sum + (event.type === 'events-dropped' ? event.count : 0), 0),
    2,
  );
});

test('messages traced through the fields (emitSend, emitDeliver) read back as the events emit writes', (t) => {
  const notes: TraceNote[] = [
    { kind: 'write', op: 7, key: 'k', ts: { wallMs: 5, counter: 1, nodeId: 2 } },
    { kind: 'read-reply', op: 7, key: 'ключ' },
    { kind: 'tree', op: null },
    { kind: 'gossip' as TraceNote['kind'], op: null }, // off the list: a JSON record
  ];
  let sent: TraceEvent[] = [];
  const tracer = new IpcTracer(2, 0, ({ bytes }, done) => {
    sent = decodeTraceBatch(bytes);
    done();
  });
  const expected: TraceEvent[] = [];
  let nextMsg = 0;
  const recording: Tracer = {
    enabled: true,
    nowUs: () => 0,
    messageId: () => ++nextMsg,
    operationId: (id) => id,
    emit: (event) => expected.push(event),
  };
  notes.forEach((note, i) => {
    const msg = traceSend(tracer, 2, 3, note, 1.5, 100 + i);
    traceDeliver(tracer, msg, 200 + i);
    traceDeliver(
      recording,
      traceSend(recording, 2, 3, note, 1.5, 100 + i) + msg - nextMsg,
      200 + i,
    );
  });
  tracer.flush();
  const withIds = expected.map((event, i) =>
    'msg' in event ? { ...event, msg: (sent[i] as { msg: number }).msg } : event,
  );
  t.is(sent.length, 8);
  t.deepEqual(
    sent.map((event) => JSON.stringify(event)),
    withIds.map((event) => JSON.stringify(event)),
  );
});

test('a message written at once and an answer are one record each, read back as the two events emit writes', (t) => {
  let sent: { count: number; events: TraceEvent[]; bytes: number } | undefined;
  const tracer = new IpcTracer(2, 0, ({ count, bytes }, done) => {
    sent = { count, events: decodeTraceBatch(bytes), bytes: bytes.byteLength };
    done();
  });
  const expected: TraceEvent[] = [];
  let nextMsg = 2 * 2 ** 32;
  const recording: Tracer = {
    enabled: true,
    nowUs: () => 500,
    messageId: () => ++nextMsg,
    operationId: (id) => id,
    emit: (event) => expected.push(event),
  };
  const ts = { wallMs: 5, counter: 1, nodeId: 2 };
  const note: TraceNote = { kind: 'write', op: 7, key: 'k', ts };
  const result: OpResult = {
    op: 'get',
    key: 'k',
    level: 'one',
    coordinator: 2,
    required: 1,
    acks: 2,
    value: 'v',
    found: true,
    ts,
    replicas: [
      { node: 1, state: 'fresh', ts, created: false },
      { node: 3, state: 'pending' },
    ],
  };
  const callbacks = { respond: () => {}, fail: () => {}, repair: () => {} };
  for (const target of [tracer, recording]) {
    tracePassed(target, 2, 3, note, 100);
    tracePassed(target, 2, 4, { kind: 'read-reply', op: 7, key: 'k', ts }, 101);
    new TracedOperation(callbacks, target, 7).respond(result);
  }
  t.is(expected.length, 6);
  tracer.flush();
  t.is(sent!.count, 6);
  t.deepEqual(
    sent!.events.map((event) =>
      JSON.stringify({ ...event, t: event.type.startsWith('msg') ? event.t : 0 }),
    ),
    expected.map((event) =>
      JSON.stringify({ ...event, t: event.type.startsWith('msg') ? event.t : 0 }),
    ),
  );
  // Three records, not six: a send+deliver record is the send's 59 bytes + flags, no second one.
  t.true(sent!.bytes < 3 * 120, `${sent!.bytes} bytes`);
});

test('invocations traced through the fields (emitInvoke) read back as the events emit writes', (t) => {
  let sent: TraceEvent[] = [];
  const tracer = new IpcTracer(3, 0, ({ bytes }, done) => {
    sent = decodeTraceBatch(bytes);
    done();
  });
  const expected: TraceEvent[] = [];
  const recording: Tracer = {
    enabled: true,
    nowUs: () => 0,
    messageId: () => 0,
    operationId: (id) => id,
    emit: (event) => expected.push(event),
  };
  for (const target of [tracer, recording]) {
    // A put, a get (no value field), a delete (null), another client, a level off the list.
    traceInvoke(target, 3_000_000_001, 'bench-1', 3, 'update', 'k', 'one', 'v'.repeat(100));
    traceInvoke(target, 3_000_000_002, 'bench-1', 3, 'get', 'k', 'quorum', undefined);
    traceInvoke(target, 3_000_000_003, 'cli', 3, 'delete', 'k2', 'all', null);
    traceInvoke(target, 3_000_000_004, 'cli', 3, 'get', 'k2', 'five' as 'one', undefined);
  }
  tracer.flush();
  const untimed = (events: TraceEvent[]) => events.map((event) => ({ ...event, t: 0 }));
  t.is(expected.length, 4);
  t.false('value' in expected[1]!);
  t.deepEqual(untimed(sent), untimed(expected));
});

test('the event bound counts a record of two events as two: a batch never holds more than it', (t) => {
  const counts: number[] = [];
  // A channel that never takes the batch: what does not fit is counted as dropped.
  const tracer = new IpcTracer(1, 0, ({ count }) => void counts.push(count), 3);
  const note: TraceNote = { kind: 'read', op: 1, key: 'k' };
  tracePassed(tracer, 1, 2, note, 1);
  t.deepEqual(counts, []);
  tracePassed(tracer, 1, 2, note, 2); // 2 + 2 > 3: dropped, and the first batch goes out
  t.deepEqual(counts, [2]);
  t.is(tracer.dropped, 2);
});
