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

test('traced, a message that passes at once is traced as sent with no delay and delivered', (t) => {
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
  t.true(links.passesAtOnce(2, { kind: 'read', op: 7, key: 'k' }));
  t.true(links.passesAtOnce(2), 'no note (a heartbeat): not traced');
  t.deepEqual(events, [
    { type: 'msg-send', t: 42, msg: 1, kind: 'read', from: 1, to: 2, op: 7, delayMs: 0, key: 'k' },
    { type: 'msg-deliver', t: 42, msg: 1 },
  ]);
});
