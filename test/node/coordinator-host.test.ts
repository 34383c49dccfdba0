import test from 'ava';
import type { ErrorRecord } from '../../src/core/errors.js';
import { EventQueue } from '../../src/core/event-queue.js';
import type { OpResult } from '../../src/core/messages.js';
import { createSeededRandom } from '../../src/core/random.js';
import type { Version } from '../../src/core/version.js';
import { CoordinatorHost, type ReplicaTransport } from '../../src/node/coordinator-host.js';
import { MemoryHintTable } from '../../src/node/hints.js';
import { parseConfig } from '../../src/config/load.js';
import { SimRuntime } from '../../src/sim/sim-runtime.js';
import { SimStore } from '../../src/sim/sim-store.js';
import { SimTransport } from '../../src/sim/sim-transport.js';
import { VirtualNetwork } from '../../src/sim/virtual-network.js';

// CoordinatorHost's deadlines, on the simulated runtime: virtual time tells exactly when each
// coordination gave up.

const timeoutMs = 1000;

function host(answerAfterMs: number | undefined, readAnswer?: Version) {
  const queue = new EventQueue();
  const config = parseConfig({ servers: ['127.0.0.1:1', '127.0.0.1:2', '127.0.0.1:3'] });
  const network = new VirtualNetwork(config, queue, createSeededRandom(1));
  const runtime = new SimRuntime({
    queue,
    random: createSeededRandom(2),
    transport: new SimTransport(
      1,
      [2, 3],
      network.from(1),
      () => true,
      () => {},
    ),
    store: new SimStore(() => queue.nowMs, 0),
    hints: new MemoryHintTable(),
    clock: () => ({ skewMs: 0, resolutionMs: 1 }),
    alive: () => true,
    tracker: { pending: 0 },
  });
  // Replicas that answer after `answerAfterMs`, or never.
  const transport: ReplicaTransport = {
    read: (_to, _key, reply) => {
      if (answerAfterMs !== undefined)
        queue.after(answerAfterMs * 1000, () => reply(undefined, readAnswer));
    },
    write: (_to, _key, _version, _kind, reply) => {
      if (answerAfterMs !== undefined)
        queue.after(answerAfterMs * 1000, () => reply(undefined, { created: true, applied: true }));
    },
    isReachable: () => true,
  };
  return { queue, host: new CoordinatorHost(transport, runtime, timeoutMs) };
}

interface Outcome {
  atMs: number;
  error?: ErrorRecord;
  result: OpResult;
}

function write(queue: EventQueue, coordinator: CoordinatorHost, key: string): Outcome[] {
  const outcomes: Outcome[] = [];
  const params = {
    op: 'update' as const,
    key,
    level: 'quorum' as const,
    coordinator: 1,
    replicas: [1, 2, 3],
    required: 2,
    down: new Set<number>(),
  };
  const version = { value: 'v', ts: { wallMs: 1, counter: 0, nodeId: 1 } };
  coordinator.write(params, version, {
    respond: (result) => outcomes.push({ atMs: queue.nowMs, result }),
    fail: (error, result) => outcomes.push({ atMs: queue.nowMs, error, result }),
    repair: () => {},
  });
  return outcomes;
}

test('each coordination times out requestTimeoutMs after it began, one timer serving all', (t) => {
  const { queue, host: coordinator } = host(undefined);
  const first = write(queue, coordinator, 'a');
  let second: Outcome[] = [];
  queue.after(300_000, () => (second = write(queue, coordinator, 'b')));
  queue.drain();
  t.is(first.length, 1);
  t.is(first[0]!.atMs, timeoutMs);
  t.is(first[0]!.error?.code, 'TIMEOUT');
  t.is(second.length, 1);
  t.is(second[0]!.atMs, 300 + timeoutMs);
  t.is(second[0]!.result.acks, 0);
  t.is(coordinator.activeCount, 0, 'a timed-out coordination leaves nothing behind');
});

test('a coordination answered in time never times out and leaves no deadline', (t) => {
  const { queue, host: coordinator } = host(10);
  const outcomes = write(queue, coordinator, 'a');
  queue.drain();
  t.is(outcomes.length, 1);
  t.is(outcomes[0]!.atMs, 10);
  t.is(outcomes[0]!.error, undefined);
  t.is(coordinator.activeCount, 0);
});

test('closing the host drops its deadlines: nothing fires after', (t) => {
  const { queue, host: coordinator } = host(undefined);
  const outcomes = write(queue, coordinator, 'a');
  queue.after(500_000, () => coordinator.close());
  queue.drain();
  t.deepEqual(outcomes, []);
});

test('a read tells its callbacks the size of each answer, then once that it is done', (t) => {
  const version = { value: 'x'.repeat(1000), ts: { wallMs: 1, counter: 0, nodeId: 2 } };
  const { queue, host: coordinator } = host(10, version);
  const seen: string[] = [];
  const params = {
    op: 'get' as const,
    key: 'k',
    level: 'one' as const,
    coordinator: 1,
    replicas: [1, 2, 3],
    required: 1,
    down: new Set<number>(),
  };
  coordinator.read(params, 'background', {
    respond: () => seen.push('respond'),
    fail: () => seen.push('fail'),
    repair: () => {},
    readAnswered: (bytes) => seen.push(`answer ${bytes}`),
    done: () => seen.push('done'),
  });
  queue.drain();
  t.deepEqual(seen, ['answer 1000', 'respond', 'answer 1000', 'answer 1000', 'done']);
  t.is(coordinator.activeCount, 0);
});
