import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { EventQueue } from '../../src/core/event-queue.js';
import { createSeededRandom } from '../../src/core/random.js';
import { MemoryHintTable } from '../../src/node/hints.js';
import { NodeClock } from '../../src/node/node-clock.js';
import { ReplicaRouter } from '../../src/node/replica-router.js';
import { ReplicaService } from '../../src/node/replica-service.js';
import { SimRuntime } from '../../src/sim/sim-runtime.js';
import { SimStore } from '../../src/sim/sim-store.js';
import { SimTransport } from '../../src/sim/sim-transport.js';
import { VirtualNetwork } from '../../src/sim/virtual-network.js';
import { createRecordingLogger } from './helpers.js';

// The background paths (hints, purge, anti-entropy) ask peers through promises: a request a
// link drops must end in TIMEOUT, or a hint replay would wait for ever. On the simulated runtime.

const timeoutMs = 700;

test('a background request whose message a partition drops fails with TIMEOUT after its timeout', async (t) => {
  const queue = new EventQueue();
  const config = parseConfig({ servers: ['127.0.0.1:1', '127.0.0.1:2'], delays: { 1: 5, 2: 5 } });
  const network = new VirtualNetwork(config, queue, createSeededRandom(1));
  const transport = new SimTransport(
    1,
    [2],
    network.from(1),
    () => true,
    () => {},
  );
  const store = new SimStore(() => queue.nowMs, 0);
  const runtime = new SimRuntime({
    queue,
    random: createSeededRandom(2),
    transport,
    store,
    hints: new MemoryHintTable(),
    clock: () => ({ skewMs: 0, resolutionMs: 1 }),
    alive: () => true,
    tracker: { pending: 0 },
  });
  const replica = new ReplicaService({
    store,
    clock: new NodeClock(1, config.maxClockOffsetMs, () => runtime.wallMs()),
    logger: createRecordingLogger(),
    antiEntropy: () => {
      throw new Error('not used');
    },
    onHeartbeat: () => {},
  });
  const router = new ReplicaRouter(1, replica, runtime, timeoutMs);
  transport.connect(2);
  network.links.partition([[1], [2]]);
  let failedAtMs: number | undefined;
  const read = router.read(2, 'k').catch((error: { code?: string }) => {
    failedAtMs = queue.nowMs;
    return error.code;
  });
  queue.drain();
  t.is(await read, 'TIMEOUT');
  t.is(failedAtMs, timeoutMs);
  // A local replica answers after the current work, through the runtime.
  const local = router.read(1, 'k');
  queue.drain();
  t.is(await local, undefined);
});
