import test from 'ava';
import { checkHistory } from '../../src/check/checker.js';
import type { CheckReport, FindingKind } from '../../src/check/report.js';
import { HistoryBuilder } from './history-builder.js';

function kinds(report: CheckReport, broken?: boolean): FindingKind[] {
  return report.findings
    .filter((finding) => broken === undefined || finding.broken === broken)
    .map((finding) => finding.kind);
}

// A clean run: two writes, reads that follow them, a quiet final read, converged replicas.
function goodHistory(): HistoryBuilder {
  const h = new HistoryBuilder();
  h.write({ value: 'a', at: [0, 10], ts: 1 });
  h.read({ at: [20, 30], ts: 1, value: 'a' });
  h.write({ value: 'b', at: [40, 50], ts: 2 });
  h.read({ at: [60, 70], ts: 2, value: 'b' });
  h.quiet(100);
  h.read({ level: 'all', at: [100, 110], ts: 2, value: 'b', answered: [1, 2, 3] });
  for (const node of [1, 2, 3]) h.dump(node, 200, [['k', 'b', 2]]);
  return h;
}

test('a good history has no findings and passes', (t) => {
  const report = checkHistory(goodHistory().records);
  t.deepEqual(report.findings, []);
  t.true(report.ok);
  t.is(report.operations, 5);
  t.is(report.linearizability[0]?.promisedKeys, 1);
});

test('a quorum read that misses an acknowledged quorum write breaks the promise', (t) => {
  const h = new HistoryBuilder();
  const write = h.write({ value: 'a', at: [0, 10], ts: 1, acks: [1, 2] });
  const read = h.read({ at: [20, 30], value: null, answered: [2, 3] });
  const report = checkHistory(h.records);
  t.false(report.ok);
  const stale = report.findings.find((f) => f.kind === 'stale-read');
  t.deepEqual(stale?.operations, [write, read]);
  t.true(stale?.broken);
  t.like(report.reads[0], { write: 'quorum', read: 'quorum', stale: 1, broken: 1 });
});

test('a stale read at level one is measured, not a failure', (t) => {
  const h = new HistoryBuilder();
  h.write({ value: 'a', level: 'one', at: [0, 10], ts: 1, acks: [1] });
  h.read({ level: 'one', at: [20, 30], value: null, answered: [3] });
  const report = checkHistory(h.records);
  t.true(report.ok);
  t.like(report.reads[0], { write: 'one', read: 'one', promised: false, stale: 1, broken: 0 });
});

test('a stale read after the replicas holding the write lost their data is excused', (t) => {
  const h = new HistoryBuilder();
  h.write({ value: 'a', at: [0, 10], ts: 1, acks: [1, 2] });
  h.crash(2, 15, true);
  h.read({ at: [20, 30], value: null, answered: [2, 3] });
  const report = checkHistory(h.records);
  t.true(report.ok);
  t.like(report.reads[0], { stale: 1, staleDataLoss: 1, broken: 0 });
});

test('a crash that keeps data does not excuse a stale read', (t) => {
  const h = new HistoryBuilder({ durable: true });
  h.write({ value: 'a', at: [0, 10], ts: 1, acks: [1, 2] });
  h.crash(2, 15, false);
  h.read({ at: [20, 30], value: null, answered: [2, 3] });
  t.false(checkHistory(h.records).ok);
});

test('an acknowledged write missing from the quiet final read is lost', (t) => {
  const h = new HistoryBuilder();
  h.write({ value: 'a', at: [0, 10], ts: 1 });
  h.quiet(50);
  h.read({ level: 'all', at: [50, 60], value: null, answered: [1, 2, 3] });
  const report = checkHistory(h.records);
  t.false(report.ok);
  t.deepEqual(kinds(report, true), ['lost-write', 'not-linearizable']);
  t.like(report.writes[0], { level: 'quorum', acknowledged: 1, lost: 1, broken: 1 });
});

test('a write lost because every acknowledging replica crashed in memory is excused', (t) => {
  const h = new HistoryBuilder();
  h.write({ value: 'a', at: [0, 10], ts: 1, acks: [1, 2] });
  h.crash(1, 20).crash(2, 25);
  h.quiet(50);
  h.read({ level: 'all', at: [50, 60], value: null, answered: [1, 2, 3] });
  const report = checkHistory(h.records);
  t.true(report.ok);
  t.like(report.writes[0], { lost: 1, dataLoss: 1, broken: 0 });
});

test('a delete whose value comes back in the final read is a resurrection', (t) => {
  const h = new HistoryBuilder();
  h.write({ value: 'a', at: [0, 10], ts: 1 });
  const del = h.write({ value: null, at: [20, 30], ts: 2 });
  h.quiet(50);
  h.read({ level: 'all', at: [50, 60], ts: 1, value: 'a', answered: [1, 2, 3] });
  const report = checkHistory(h.records);
  t.false(report.ok);
  const finding = report.findings.find((f) => f.kind === 'resurrected-delete');
  t.is(finding?.operations[0], del);
  t.like(report.writes[0], { resurrected: 1 });
});

test('replicas that differ after the final read are not converged, unless read repair is off', (t) => {
  const build = (readRepair: 'blocking' | 'off') => {
    const h = new HistoryBuilder({ readRepair });
    h.write({ value: 'a', at: [0, 10], ts: 1 });
    h.quiet(50);
    h.read({ level: 'all', at: [50, 60], ts: 1, value: 'a', answered: [1, 2, 3] });
    h.dump(1, 70, [['k', 'a', 1]])
      .dump(2, 70, [['k', 'a', 1]])
      .dump(3, 70, []);
    return checkHistory(h.records);
  };
  const repaired = build('blocking');
  t.deepEqual(kinds(repaired), ['not-converged']);
  t.false(repaired.ok);
  const unrepaired = build('off');
  t.deepEqual(kinds(unrepaired), ['not-converged']);
  t.true(unrepaired.ok);
});

// A timed-out write seen by one quorum read and missed by a later one.
function nonMonotonic(readRepair: 'blocking' | 'background'): CheckReport {
  const h = new HistoryBuilder({ readRepair });
  h.write({ value: 'a', at: [0, 10], ts: 1 });
  h.write({ value: 'b', at: [20, 200], ts: 2, ok: false });
  h.read({ at: [30, 40], ts: 2, value: 'b' });
  h.read({ at: [50, 60], ts: 1, value: 'a' });
  return checkHistory(h.records);
}

test('a later read returning an older value than an earlier read is not linearizable', (t) => {
  const report = nonMonotonic('blocking');
  t.false(report.ok);
  const finding = report.findings.find((f) => f.kind === 'not-linearizable');
  t.is(finding?.cause, 'non-monotonic-read');
  t.deepEqual(finding?.operations, [3, 4]);
});

test('non-monotonic reads are reported but promised only with blocking read repair', (t) => {
  const report = nonMonotonic('background');
  t.true(report.ok);
  t.is(report.findings[0]?.cause, 'non-monotonic-read');
  t.like(report.linearizability[0], { promisedKeys: 0, nonLinearizable: 1, broken: 0 });
});

test('a later write stamped older is blamed on timestamp order and counted as overwritten', (t) => {
  const h = new HistoryBuilder();
  h.write({ value: 'a', at: [0, 10], ts: 5 });
  const later = h.write({ value: 'b', at: [20, 30], ts: 3 });
  h.read({ at: [40, 50], ts: 5, value: 'a' });
  const report = checkHistory(h.records);
  t.true(report.ok);
  t.like(report.writes[0], { overwritten: 1 });
  t.is(report.findings.find((f) => f.kind === 'overwritten')?.operations[1], later);
  const violation = report.findings.find((f) => f.kind === 'not-linearizable');
  t.is(violation?.cause, 'timestamp-order');
  t.false(violation?.broken);
});

test('a timed-out write may take effect between two reads', (t) => {
  const h = new HistoryBuilder();
  h.write({ value: 'a', at: [0, 10], ts: 1 });
  h.write({ value: 'b', at: [20, 100], ts: 2, ok: false });
  h.read({ at: [30, 40], ts: 1, value: 'a' });
  h.read({ at: [50, 60], ts: 2, value: 'b' });
  h.read({ at: [70, 80], ts: 2, value: 'b' });
  const report = checkHistory(h.records);
  t.deepEqual(report.findings, []);
  t.like(report.writes[0], { acknowledged: 1, indefinite: 1 });
});

test('reads concurrent with a write may return either value', (t) => {
  const h = new HistoryBuilder();
  h.write({ value: 'a', at: [0, 10], ts: 1 });
  h.write({ value: 'b', at: [20, 40], ts: 2 });
  h.read({ at: [25, 35], ts: 1, value: 'a' });
  h.read({ at: [26, 36], ts: 2, value: 'b' });
  h.read({ at: [30, 45], ts: 1, value: 'a' });
  t.deepEqual(checkHistory(h.records).findings, []);
});

test('a read of a write that began after the read completed is always wrong', (t) => {
  const h = new HistoryBuilder({ readRepair: 'off' });
  h.read({ at: [0, 10], ts: 2, value: 'b' });
  h.write({ value: 'b', at: [20, 30], ts: 2 });
  const report = checkHistory(h.records);
  t.false(report.ok);
  t.is(report.findings[0]?.cause, 'future-read');
});

test('a read of a version nobody wrote is a phantom on an initially empty cluster', (t) => {
  const h = new HistoryBuilder();
  h.read({ at: [0, 10], ts: 9, value: 'zzz' });
  t.is(checkHistory(h.records).findings[0]?.cause, 'phantom-read');
  const existing = new HistoryBuilder({ initiallyEmpty: false });
  existing.read({ at: [0, 10], ts: 9, value: 'zzz' });
  t.deepEqual(checkHistory(existing.records).findings, []);
});

test('a deleted value back from a replica down past the grace is the warned zombie, not a broken promise', (t) => {
  const warning =
    'Node 3 was down for 2 s, longer than tombstoneGraceMs (1000 ms): values deleted meanwhile may come back from it. Run `repair 3` now.';
  // Background read repair: linearizability is not promised (its zombie excuse is not done).
  const h = new HistoryBuilder({ readRepair: 'background' });
  h.write({ value: 'a', at: [0, 10], ts: 1 });
  h.crash(3, 15, false);
  h.write({ value: null, at: [20, 30], ts: 2, acks: [1, 2] });
  h.records.push({ type: 'fault', time: 2100, fault: 'restart', node: 3, warning });
  h.quiet(2200);
  h.read({ level: 'all', at: [2200, 2210], ts: 1, value: 'a', answered: [1, 2, 3] });
  const report = checkHistory(h.records);
  t.true(report.ok);
  const finding = report.findings.find((f) => f.kind === 'resurrected-delete');
  t.false(finding?.broken);
  t.true(finding?.excuse?.includes(warning));
});
