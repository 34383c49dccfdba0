import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { EventQueue } from '../../src/core/event-queue.js';
import { LinkTable } from '../../src/core/links.js';
import { createSeededRandom } from '../../src/core/random.js';
import { LinkScheduler } from '../../src/node/link-scheduler.js';
import type { OutboundLinks } from '../../src/node/outbound-links.js';
import { VirtualNetwork } from '../../src/sim/virtual-network.js';

// One suite for both implementations of a node's outbound links: the real LinkScheduler on Node
// timers and the simulator's VirtualNetwork on its event queue. Node 1 sends to node 2. Serial:
// the real scheduler's tests measure timer order, which other tests' work would disturb.

interface Harness {
  links: OutboundLinks;
  table: LinkTable;
  /** Resolves once every message sent so far that will arrive has arrived. */
  settle(): Promise<void>;
  close(): void;
}

type Make = (fifo: boolean, delayMsMean: number) => Harness;

function configFor(fifo: boolean, delayMsMean: number) {
  return parseConfig({
    servers: ['127.0.0.1:1', '127.0.0.1:2'],
    delays: { 1: delayMsMean, 2: delayMsMean },
    delayDistribution: 'uniform',
    fifo,
  });
}

const real: Make = (fifo, delayMsMean) => {
  const config = configFor(fifo, delayMsMean);
  const table = new LinkTable(config);
  const scheduler = new LinkScheduler(1, table, 'uniform', fifo, createSeededRandom(7));
  const boundMs = 2 * delayMsMean + 5;
  return {
    links: scheduler,
    table,
    settle: () =>
      new Promise<void>((resolve) => {
        if (!fifo) {
          // Without FIFO nothing arrives behind the messages sent so far, and a marker of its
          // own (shorter) delay could fire first. Node runs timers in the order they expire, so
          // a timer set now for the delay bound runs after every message's (set before it).
          setTimeout(resolve, boundMs);
          return;
        }
        // FIFO: a marker sent after everything else arrives after it (a heartbeat, left out of
        // the counters under test); one sent while a partition or total loss drops it is sent
        // again.
        const poll = () => {
          if (!scheduler.send(2, () => resolve(), 'heartbeat')) setTimeout(poll, 1);
        };
        poll();
      }),
    close: () => scheduler.close(),
  };
};

const simulated: Make = (fifo, delayMsMean) => {
  const queue = new EventQueue();
  const network = new VirtualNetwork(configFor(fifo, delayMsMean), queue, createSeededRandom(7));
  return {
    links: network.from(1),
    table: network.links,
    settle: async () => queue.drain(),
    close: () => {},
  };
};

const messages = 200;

for (const [name, make] of [
  ['LinkScheduler', real],
  ['VirtualNetwork', simulated],
] as const) {
  const open = (t: { teardown(fn: () => void): void }, fifo: boolean, delayMsMean = 5) => {
    const harness = make(fifo, delayMsMean);
    t.teardown(() => harness.close());
    return harness;
  };
  const sendAll = (harness: Harness, arrived: number[], count = messages) => {
    let sent = 0;
    for (let i = 0; i < count; i++) if (harness.links.send(2, () => arrived.push(i))) sent++;
    return sent;
  };
  const inOrder = Array.from({ length: messages }, (_, i) => i);

  test.serial(`${name}: a FIFO link delivers every message in the order it was sent`, async (t) => {
    const harness = open(t, true);
    const arrived: number[] = [];
    sendAll(harness, arrived);
    await harness.settle();
    t.deepEqual(arrived, inOrder);
  });

  test.serial(
    `${name}: a link without FIFO delivers every message, some overtaking others`,
    async (t) => {
      const harness = open(t, false);
      const arrived: number[] = [];
      sendAll(harness, arrived);
      await harness.settle();
      t.deepEqual(
        [...arrived].sort((a, b) => a - b),
        inOrder,
      );
      t.notDeepEqual(arrived, inOrder);
    },
  );

  test.serial(
    `${name}: a lossy link drops some messages when sent and delivers the rest`,
    async (t) => {
      const harness = open(t, true);
      harness.table.setLinkLoss(1, 2, 0.5);
      const arrived: number[] = [];
      const sent = sendAll(harness, arrived);
      harness.table.setLinkLoss(1, 2, 0);
      await harness.settle();
      t.true(sent > 0 && sent < messages, `${sent} of ${messages} sent`);
      t.is(arrived.length, sent);
      t.deepEqual(harness.links.counters, { sent, dropped: messages - sent });
      harness.table.setLinkLoss(1, 2, 1);
      t.false(harness.links.send(2, () => t.fail('a message through a link losing all arrived')));
    },
  );

  test.serial(`${name}: a partition drops what is sent across it, until healed`, async (t) => {
    const harness = open(t, true);
    harness.table.partition([[1], [2]]);
    const arrived: number[] = [];
    t.is(sendAll(harness, arrived, 10), 0);
    harness.table.heal();
    t.is(sendAll(harness, arrived, 10), 10);
    await harness.settle();
    t.is(arrived.length, 10);
  });

  test.serial(
    `${name}: messages already on the wire when a partition starts still arrive`,
    async (t) => {
      const harness = open(t, true, 20);
      const arrived: number[] = [];
      t.is(sendAll(harness, arrived, 20), 20);
      harness.table.partition([[1], [2]]);
      t.false(harness.links.send(2, () => t.fail('sent across the partition')));
      harness.table.heal();
      await harness.settle();
      t.deepEqual(arrived, inOrder.slice(0, 20));
    },
  );

  test.serial(`${name}: a discarded link drops what it still held`, async (t) => {
    const harness = open(t, true, 20);
    const arrived: number[] = [];
    sendAll(harness, arrived, 20);
    harness.links.discard(2);
    await harness.settle();
    t.deepEqual(arrived, []);
  });

  test.serial(
    `${name}: heartbeats are delayed like data but left out of the counters`,
    async (t) => {
      const harness = open(t, true);
      let beats = 0;
      for (let i = 0; i < 10; i++) harness.links.send(2, () => beats++, 'heartbeat');
      await harness.settle();
      t.is(beats, 10);
      t.deepEqual(harness.links.counters, { sent: 0, dropped: 0 });
    },
  );
}
