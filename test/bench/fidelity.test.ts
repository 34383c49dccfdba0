import test from 'ava';
import { hasDelays, modelLatencyMs } from '../../src/bench/fidelity.js';
import { parseConfig } from '../../src/config/load.js';
import { createSeededRandom } from '../../src/core/random.js';

const servers = ['127.0.0.1:1', '127.0.0.1:2', '127.0.0.1:3', '127.0.0.1:4'];

function keys(): () => string {
  let next = 0;
  return () => `user${next++ % 1000}`;
}

test('with fixed delays the model is the k-th fastest round trip', (t) => {
  // Every message takes 10 ms: a remote replica answers in 20 ms, the coordinator's own at once.
  const config = parseConfig({
    servers,
    delays: { 1: 10, 2: 10, 3: 10, 4: 10 },
    delayDistribution: 'fixed',
  });
  t.true(hasDelays(config));
  const model = (level: 'one' | 'quorum' | 'all', coordinator: number) =>
    modelLatencyMs({
      config,
      coordinatorWeights: new Map([[coordinator, 1]]),
      nextKey: keys(),
      level,
      random: createSeededRandom(1),
      samples: 2_000,
    });
  // The histogram keeps 3 significant digits: 20 ms reads back as up to 20.02 ms.
  const near = (actual: number, expected: number) => Math.abs(actual - expected) < 0.03;
  t.true(near(model('all', 1).p50, 20));
  t.true(near(model('quorum', 1).max, 20));
  // Node 1 holds about 3/4 of the keys, so most `one` reads are local.
  t.true(near(model('one', 1).p50, 0));
  t.true(near(model('one', 1).max, 20));
});

test('a config without delays has none', (t) => {
  t.false(hasDelays(parseConfig({ servers })));
});
