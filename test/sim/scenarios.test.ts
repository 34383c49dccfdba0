import test from 'ava';
import { runSeeds } from '../../src/sim/run-seeds.js';

const seeds = 2000;

test(`${seeds} seeded scenarios with faults keep every promise of their levels`, async (t) => {
  const summary = await runSeeds({ from: 1, count: seeds });
  t.is(summary.runs, seeds);
  const failures = summary.failed.map(
    (failed) => `seed ${failed.seed}: ${failed.finding}\n  replay: ${failed.replay}`,
  );
  t.is(summary.failures, 0, `seeds that broke a promise:\n${failures.join('\n')}`);

  // Every scenario has a crash, a partition or a lossy link; most kinds occur hundreds of times.
  const faulty = summary.faults;
  for (const kind of ['crash', 'partition', 'loss', 'skew', 'coarse-clock', 'reorder']) {
    t.true((faulty[kind] ?? 0) >= 100, `runs with ${kind}: ${faulty[kind] ?? 0}`);
  }
  // The faults bite: the checker measures what they did, without calling it a broken promise.
  const sum = <T>(rows: T[], field: (row: T) => number) => rows.reduce((n, r) => n + field(r), 0);
  t.true(
    sum(summary.reads, (row) => (row.promised ? 0 : row.stale)) > 0,
    'stale reads at W+R ≤ RF',
  );
  t.true(sum(summary.reads, (row) => row.staleDataLoss) > 0, 'stale reads after data loss');
  t.true(sum(summary.writes, (row) => row.dataLoss) > 0, 'writes lost with crashed replicas');
  t.true(sum(summary.writes, (row) => row.overwritten) > 0, 'writes dropped by timestamp order');
  t.true(sum(summary.writes, (row) => row.indefinite) > 0, 'writes with no answer');
  t.log(
    `${summary.runs} scenarios, ${summary.operations} operations in ${(summary.elapsedMs / 1000).toFixed(1)} s; runs per fault: ${JSON.stringify(faulty)}`,
  );
});
