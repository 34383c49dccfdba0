import test from 'ava';
import { Chalk } from 'chalk';
import type { CommandRecord } from '../../src/orchestrator/records.js';
import { describeExplanation } from '../../src/orchestrator/report/explain-text.js';
import { keyWhere, kv, runText, startSharedCluster, type SharedCluster } from './batch/helpers.js';

// delays[S]: the mean delay of every message to S (fixed, so the expected latencies are exact).
const delaysMs: Record<number, number> = { 1: 5, 2: 50, 3: 10, 4: 20 };
let shared: SharedCluster;

test.before(async () => {
  shared = await startSharedCluster({
    delays: Object.fromEntries(Object.entries(delaysMs).map(([id, ms]) => [id, `${ms}ms`])),
    defaultLevel: 'quorum',
  });
});

test.after.always(async () => {
  await shared?.stop();
});

const explainOf = (record: unknown) => {
  const explain = (record as CommandRecord).explain;
  if (explain === undefined) throw new Error(`no explain in ${JSON.stringify(record)}`);
  return explain;
};

// The round trip from coordinator c to replica r: to r and back to c, zero on c itself.
const roundTripMs = (c: number, r: number) => (r === c ? 0 : delaysMs[r]! + delaysMs[c]!);

test.serial(
  'explain says which levels a coordinator can meet after a replica is killed, and how fast',
  async (t) => {
    // Replicas 1 and 3 with a third; node 3 goes down; node 1 coordinates.
    const key = keyWhere(shared.cluster.ring, 'ex', (r) => r.includes(1) && r.includes(3));
    const replicas = shared.cluster.ring.replicasFor(key);
    const other = replicas.find((node) => node !== 1 && node !== 3)!;
    const { result, reporter } = await runText(
      shared.cluster,
      kv`
      explain ${key}
      kill 3
      get ${key} all          => error UNAVAILABLE
      explain ${key}
      explain ${key} all
      @3 explain ${key} one
    `,
    );
    t.true(result.summary.ok, JSON.stringify(reporter.lines.map((l) => l.record.error)));

    const before = explainOf(reporter.at(1).record);
    t.deepEqual(
      before.replicas.map((r) => r.node),
      [...replicas],
      'the replica set in ring order',
    );
    t.is(before.range.node, replicas[0]!);
    t.true(before.levels.every((level) => level.met));
    t.deepEqual(
      before.levels.map((level) => [level.level, level.expectedMs]),
      [
        ['one', 0],
        ['two', Math.min(roundTripMs(1, 3), roundTripMs(1, other))],
        ['three', Math.max(roundTripMs(1, 3), roundTripMs(1, other))],
        ['quorum', Math.min(roundTripMs(1, 3), roundTripMs(1, other))],
        ['all', Math.max(roundTripMs(1, 3), roundTripMs(1, other))],
      ],
    );
    t.true(before.overlap, 'quorum writes and reads overlap: 2 + 2 > 3');

    const after = explainOf(reporter.at(4).record);
    t.deepEqual(
      after.replicas.map((r) => [r.node, r.process, r.seen]),
      replicas.map((node) =>
        node === 3 ? [3, 'down', 'down'] : [node, 'up', node === 1 ? 'self' : 'up'],
      ),
    );
    t.deepEqual(
      after.levels.map((level) => [level.level, level.met, level.expectedMs]),
      [
        ['one', true, 0],
        ['two', true, roundTripMs(1, other)],
        ['three', false, null],
        ['quorum', true, roundTripMs(1, other)],
        ['all', false, null],
      ],
    );
    t.deepEqual(
      explainOf(reporter.at(5).record).levels.map((level) => level.level),
      ['all'],
      'LEVEL names the one level to explain',
    );
    const fromDown = explainOf(reporter.at(6).record);
    t.false(fromDown.coordinatorUp);
    t.deepEqual(
      fromDown.levels.map((level) => level.met),
      [false],
      'a killed coordinator meets no level',
    );

    const style = new Chalk({ level: 0 });
    const text = describeExplanation(after, style);
    t.regex(text, /three +3 +no: 2 of 3 replicas up/);
    t.regex(text, /W \+ R = 2 \+ 2 > RF 3/);
    for (const record of [before, after, fromDown]) {
      for (const line of describeExplanation(record, style).split('\n'))
        t.true(line.length <= 80, `over 80 columns: ${line}`);
    }
  },
);

test.serial('a delay directive changes the latency explain expects', async (t) => {
  const key = keyWhere(shared.cluster.ring, 'slow', (r) => r.includes(4) && !r.includes(3));
  const { reporter } = await runText(
    shared.cluster,
    kv`
      @4 explain ${key} all
      delay 4 200ms
      @4 explain ${key} all
      delay 4 20ms
    `,
  );
  const replicas = shared.cluster.ring.replicasFor(key).filter((node) => node !== 4);
  const slowest = (toFourMs: number) =>
    Math.max(...replicas.map((node) => delaysMs[node]! + toFourMs));
  t.is(explainOf(reporter.at(1).record).levels[0]!.expectedMs, slowest(20));
  t.is(explainOf(reporter.at(3).record).levels[0]!.expectedMs, slowest(200));
});
