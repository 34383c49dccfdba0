import test from 'ava';
import { LinkTable } from '../../src/core/links.js';
import { LinkScheduler } from '../../src/node/link-scheduler.js';
import type { Tracer } from '../../src/node/tracer.js';
import type { TraceEvent } from '../../src/trace/trace-format.js';

function scheduler() {
  const table = new LinkTable({
    servers: [1, 2, 3].map((id) => ({ id, delayMsMean: 0 })),
    links: [],
  });
  let draws = 0;
  const random = () => {
    draws++;
    return 0.5;
  };
  return { table, links: new LinkScheduler(1, table, 'uniform', true, random), draws: () => draws };
}

test('a message on a link without delay, loss or partition passes at once and is counted', (t) => {
  const { links, draws } = scheduler();
  t.true(links.passesAtOnce(2));
  t.true(links.passesAtOnce(3));
  t.deepEqual(links.counters, { sent: 2, dropped: 0 });
  t.is(draws(), 0, 'no random number drawn, as `send` would draw none');
});

test('a delayed, lossy or partitioned link does not pass at once, and counts nothing', (t) => {
  const { table, links } = scheduler();
  table.setLinkDelay(1, 2, 5);
  t.false(links.passesAtOnce(2));
  table.setLinkDelay(1, 2, 0);
  table.setLinkLoss(1, 2, 0.1);
  t.false(links.passesAtOnce(2));
  table.partition([[1], [2, 3]]);
  t.false(links.passesAtOnce(3));
  t.deepEqual(links.counters, { sent: 0, dropped: 0 });
});

test('a message does not pass at once while an earlier one is held on its FIFO link', async (t) => {
  const { table, links } = scheduler();
  t.teardown(() => links.close());
  table.setLinkDelay(1, 2, 20);
  const delivered: string[] = [];
  const first = new Promise<void>((resolve) =>
    links.send(2, () => {
      delivered.push('first');
      resolve();
    }),
  );
  table.setLinkDelay(1, 2, 0);
  t.false(links.passesAtOnce(2), 'it would overtake the held message');
  await first;
  t.true(links.passesAtOnce(2), 'once the link is empty');
  t.deepEqual(delivered, ['first']);
});

/** A tracer that keeps what it is given, for the links' trace events. */
function recordingTracer(): Tracer & { events: TraceEvent[] } {
  let ids = 0;
  const events: TraceEvent[] = [];
  return {
    enabled: true,
    events,
    nowUs: () => Math.round(performance.now() * 1000),
    messageId: () => ++ids,
    operationId: (id) => id,
    emit: (event) => void events.push(event),
  };
}

function tracedScheduler(fifo: boolean) {
  const table = new LinkTable({
    servers: [1, 2, 3].map((id) => ({ id, delayMsMean: 0 })),
    links: [],
  });
  const tracer = recordingTracer();
  const links = new LinkScheduler(
    1,
    table,
    'uniform',
    fifo,
    () => 0.5,
    () => 0.5,
    tracer,
  );
  return { table, tracer, links };
}

const writeNote = { kind: 'write', op: 4, key: 'k' } as const;

test('a traced message held on a link whose connection goes is dropped as crash, not delivered', (t) => {
  const { table, tracer, links } = tracedScheduler(true);
  t.teardown(() => links.close());
  table.setLinkDelay(1, 2, 1000);
  let written = 0;
  t.true(links.send(2, () => void written++, 'data', writeNote));
  links.discard(2);
  t.is(written, 0);
  t.deepEqual(
    tracer.events.map((e) => (e.type === 'msg-drop' ? `drop ${e.why}` : e.type)),
    ['msg-send', 'drop crash'],
  );
});

test('a traced message whose write fails (the connection is gone) is dropped as crash', async (t) => {
  const { table, tracer, links } = tracedScheduler(false);
  t.teardown(() => links.close());
  table.setLinkDelay(1, 2, 2);
  const done = new Promise<void>((resolve) => {
    links.send(2, () => (resolve(), false), 'data', writeNote);
  });
  links.send(3, () => true, 'data', { ...writeNote, op: 5 });
  await done;
  const kinds = tracer.events.map((e) =>
    e.type === 'msg-drop' ? `${e.msg} drop ${e.why}` : `${'msg' in e ? e.msg : ''} ${e.type}`,
  );
  t.deepEqual(kinds, ['1 msg-send', '2 msg-send', '2 msg-deliver', '1 drop crash']);
});

test('heartbeats with a note are traced like any message, and left out of the counters', (t) => {
  const { tracer, links } = tracedScheduler(true);
  t.teardown(() => links.close());
  links.send(2, () => true, 'heartbeat', { kind: 'ping', op: null });
  t.deepEqual(
    tracer.events.map((e) => (e.type === 'msg-send' ? `${e.kind} ${e.to}` : e.type)),
    ['ping 2', 'msg-deliver'],
  );
  t.deepEqual(links.counters, { sent: 0, dropped: 0 });
});

test('traced, a message that passes at once is traced as sent with no delay, then delivered or dropped', (t) => {
  const table = new LinkTable({
    servers: [1, 2].map((id) => ({ id, delayMsMean: 0 })),
    links: [],
  });
  const events: TraceEvent[] = [];
  let nextMsg = 0;
  const tracer: Tracer = {
    enabled: true,
    nowUs: () => 42,
    messageId: () => ++nextMsg,
    operationId: (id) => id,
    emit: (event) => events.push(event),
  };
  const links = new LinkScheduler(1, table, 'uniform', true, () => 0.5, undefined, tracer);
  t.true(links.passesAtOnce(2));
  t.deepEqual(events, [], 'nothing is traced before the write');
  links.traceAtOnce(2, { kind: 'read', op: 7, key: 'k' }, true);
  links.traceAtOnce(2, { kind: 'read', op: 8, key: 'k' }, false);
  t.deepEqual(events, [
    { type: 'msg-send', t: 42, msg: 1, kind: 'read', from: 1, to: 2, op: 7, delayMs: 0, key: 'k' },
    { type: 'msg-deliver', t: 42, msg: 1 },
    { type: 'msg-send', t: 42, msg: 2, kind: 'read', from: 1, to: 2, op: 8, delayMs: 0, key: 'k' },
    { type: 'msg-drop', t: 42, msg: 2, why: 'crash' },
  ]);
});
