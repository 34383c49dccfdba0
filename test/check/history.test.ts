import test from 'ava';
import { checkHistory } from '../../src/check/checker.js';
import { historyFromOpRecord } from '../../src/orchestrator/from-op-record.js';
import { formatHistory, type HistoryRecord } from '../../src/check/history.js';
import { parseHistory } from '../../src/check/parse-history.js';
import type { OpRecord } from '../../src/orchestrator/records.js';

const ts = { wallMs: 1000, counter: 0, nodeId: 2 };

const written: OpRecord = {
  type: 'op',
  seq: 1,
  node: 2,
  op: 'insert',
  key: 'k',
  level: 'quorum',
  ok: true,
  value: 'v',
  found: true,
  latencyMs: 12.5,
  acks: 2,
  required: 2,
  replicas: [
    { node: 1, state: 'fresh', ts, created: true },
    { node: 2, state: 'fresh', ts, created: true },
    { node: 3, state: 'pending' },
  ],
  ts,
};

test('a result record of the orchestrator becomes an invoke and a complete record', (t) => {
  const [invoke, complete] = historyFromOpRecord(written, 100);
  t.deepEqual(invoke, {
    type: 'invoke',
    time: 100,
    id: 1,
    client: 'cli',
    node: 2,
    op: 'insert',
    key: 'k',
    value: 'v',
    level: 'quorum',
  });
  t.is(complete.time, 112.5);
  t.deepEqual(complete.result, { ok: true, value: 'v', found: true });
  t.deepEqual(complete.replicas?.[0], { node: 1, state: 'fresh', ts });
});

test('a failed command keeps its error code and no replicas', (t) => {
  const failed: OpRecord = {
    ...written,
    ok: false,
    replicas: [],
    error: { code: 'TIMEOUT', message: 'Timed out.' },
  };
  delete failed.ts;
  const [, complete] = historyFromOpRecord(failed, 0);
  t.deepEqual(complete.result, { ok: false, error: 'TIMEOUT', message: 'Timed out.' });
  t.is(complete.replicas, undefined);
});

test('histories of a real cluster without timestamps on failed writes are checked by value', (t) => {
  const timedOut: OpRecord = { ...written, ok: false, replicas: [], latencyMs: 500 };
  delete timedOut.ts;
  timedOut.error = { code: 'TIMEOUT', message: 'Timed out.' };
  const read: OpRecord = { ...written, seq: 2, op: 'get', latencyMs: 5, replicas: [] };
  const records: HistoryRecord[] = [
    ...historyFromOpRecord(timedOut, 0),
    ...historyFromOpRecord(read, 600),
  ];
  const report = checkHistory(records);
  t.deepEqual(report.findings, []);
  t.like(report.writes[0], { acknowledged: 0, indefinite: 1 });
});

test('formatted histories parse back, and a bad record names its line', (t) => {
  const records = historyFromOpRecord(written, 0);
  t.deepEqual(parseHistory(formatHistory(records)), records);
  const text = `${formatHistory(records)}{"type":"complete","time":"soon"}\n`;
  t.throws(() => parseHistory(text, 'h.jsonl'), { message: /^h\.jsonl:3: not a history record/ });
  t.throws(() => parseHistory('{nope', 'h.jsonl'), { message: /^h\.jsonl:1: not JSON/ });
});
