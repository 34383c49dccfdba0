import test from 'ava';
import { percentile, summarize } from '../../../src/orchestrator/batch/summary.js';
import type { LineOutcome } from '../../../src/orchestrator/batch/types.js';
import type { LevelName } from '../../../src/core/levels.js';
import type { ReplicaState } from '../../../src/core/messages.js';
import type { RepairRecord } from '../../../src/orchestrator/records.js';

function op(
  seq: number,
  level: LevelName,
  kind: 'get' | 'insert',
  latencyMs: number,
  options: { ok?: boolean; states?: ReplicaState[] } = {},
): LineOutcome {
  const { ok = true, states = ['fresh', 'fresh', 'fresh'] } = options;
  return {
    file: 'f.kv',
    parsed: {
      line: seq,
      source: '',
      command: { kind: 'get', key: 'k' },
      background: false,
      assertions: [],
    },
    record: {
      type: 'op',
      seq,
      node: 1,
      op: kind,
      key: 'k',
      level,
      ok,
      value: null,
      found: false,
      latencyMs,
      acks: ok ? 3 : 0,
      required: 3,
      replicas: states.map((state, i) => ({ node: i + 1, state })),
    },
    assertions: [{ text: 'ok', ok }],
  };
}

function repair(seq: number, applied: boolean): RepairRecord {
  return {
    type: 'repair',
    seq,
    node: 1,
    key: 'k',
    replica: 2,
    to: { wallMs: 1, counter: 0, nodeId: 1 },
    applied,
  };
}

test('percentile is nearest-rank over sorted values', (t) => {
  t.is(percentile([], 0.5), null);
  t.is(percentile([7], 0.99), 7);
  t.is(percentile([1, 2, 3, 4], 0.5), 2);
  t.is(percentile([1, 2, 3, 4], 0.99), 4);
  t.is(
    percentile(
      Array.from({ length: 100 }, (_, i) => i + 1),
      0.99,
    ),
    99,
  );
});

test('the summary counts per level, stale reads seen at once or by a later repair, and messages per op', (t) => {
  const outcomes = [
    op(1, 'all', 'insert', 10),
    op(2, 'one', 'get', 1, { states: ['fresh', 'pending', 'pending'] }), // repaired later: stale
    op(3, 'one', 'get', 3),
    op(4, 'all', 'get', 30, { states: ['fresh', 'stale', 'missing'] }),
    op(5, 'all', 'get', 5000, { ok: false, states: [] }),
  ];
  const summary = summarize({
    file: 'f.kv',
    outcomes,
    repairs: [repair(2, true), repair(4, true), repair(4, false)],
    messages: { sent: 25, dropped: 2 },
    durationMs: 99.6,
  });
  t.deepEqual(
    summary.levels.map((l) => [
      l.level,
      l.operations,
      l.succeeded,
      l.failed,
      l.staleReads,
      l.repairsSent,
      l.repairsApplied,
      l.latencyMsP50,
      l.latencyMsP99,
    ]),
    [
      ['one', 2, 2, 0, 1, 1, 1, 1, 3],
      ['all', 3, 2, 1, 1, 2, 1, 10, 30],
    ],
  );
  t.is(summary.total.operations, 5);
  t.is(summary.total.staleReads, 2);
  t.is(summary.messagesPerOp, 5);
  t.deepEqual(summary.assertions, { passed: 4, failed: 1 });
  t.false(summary.ok);
  t.is(summary.durationMs, 100);
});

test('a file without data operations has no messages per op', (t) => {
  const summary = summarize({
    file: 'f.kv',
    outcomes: [],
    repairs: [],
    messages: { sent: 0, dropped: 0 },
    durationMs: 1,
  });
  t.is(summary.messagesPerOp, null);
  t.deepEqual(summary.levels, []);
  t.true(summary.ok);
});
