import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { createSeededRandom } from '../../src/core/random.js';
import { measurePbs } from '../../src/sim/pbs-measure.js';
import { predictPbs } from '../../src/sim/pbs-model.js';

const config = parseConfig({
  servers: ['127.0.0.1:1', '127.0.0.1:2', '127.0.0.1:3', '127.0.0.1:4'],
  delays: { 1: 20, 2: 100, 3: 20, 4: 20 },
  fifo: false,
});
const tMs = [0, 25, 50, 100, 200, 400];

test('the simulator’s staleness matches the PBS model within a few percent', async (t) => {
  for (const [write, read] of [
    ['one', 'one'],
    ['quorum', 'one'],
  ] as const) {
    const question = { config, write, read, tMs, trials: 3000 };
    const measured = await measurePbs(question, 1);
    const predicted = predictPbs(question, createSeededRandom(2));
    measured.forEach((p, i) =>
      t.true(
        Math.abs(p - predicted[i]!) < 0.04,
        `${write}/${read} t=${tMs[i]}: ${p} vs ${predicted[i]}`,
      ),
    );
    t.true(measured[0]! < 0.9, 'a read right after the write is often stale');
    t.is(measured[tMs.length - 1], 1, 'past the largest delay every read sees the write');
  }
});

test('overlapping quorums are never stale, in the model and the simulator', async (t) => {
  const question = { config, write: 'quorum' as const, read: 'quorum' as const, tMs, trials: 500 };
  t.deepEqual(
    await measurePbs(question, 3),
    tMs.map(() => 1),
  );
  t.deepEqual(
    predictPbs(question, createSeededRandom(4)),
    tMs.map(() => 1),
  );
});
