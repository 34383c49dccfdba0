import test from 'ava';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompleteRecord, HistoryRecord } from '../../src/check/history.js';
import { diagramColumns, renderTraceCommand } from '../../src/trace/text-diagram.js';
import { parseTrace, readTraceFile } from '../../src/trace/trace-parse.js';
import { checkProducedTrace } from './trace-checks.js';

const quartet = new URL('../../../bin/quartet', import.meta.url).pathname;
const goldenUrl = new URL('../../../test/trace/golden/sim-seed-7.txt', import.meta.url);

async function simTrace(seed: number, extra: string[] = []) {
  const directory = await mkdtemp(join(tmpdir(), 'quartet-sim-trace-'));
  try {
    const tracePath = join(directory, 't.jsonl');
    const historyPath = join(directory, 'h.jsonl');
    const args = ['sim', '--seed', String(seed), '--trace', tracePath, '--history', historyPath];
    const run = await execa(process.execPath, [quartet, ...args, ...extra], {
      reject: false,
      env: { NO_COLOR: '1' },
    });
    return {
      run,
      text: await readFile(tracePath, 'utf8'),
      trace: await readTraceFile(tracePath),
      history: await readFile(historyPath, 'utf8'),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

test('quartet sim --seed N --trace: the same seed writes the same trace byte for byte', async (t) => {
  const [first, second, other] = await Promise.all([simTrace(7), simTrace(7), simTrace(8)]);
  t.is(first.run.exitCode, 0, first.run.stderr);
  t.is(first.text, second.text);
  t.not(first.text, other.text);
  t.regex(first.run.stdout, /trace: .*t\.jsonl/);
});

test('a simulated trace parses, settles every message once, and names the history\u2019s operations', async (t) => {
  const { trace, history } = await simTrace(7);
  t.is(trace.meta.source, 'sim');
  t.is(trace.meta.seed, 7);
  const counts = checkProducedTrace(t, trace);
  for (const type of [
    'msg-send',
    'msg-deliver',
    'msg-drop',
    'op-invoke',
    'op-complete',
    'level-met',
  ])
    t.true((counts.get(type) ?? 0) > 0, `no ${type}`);
  for (const type of ['fault', 'hint', 'anti-entropy', 'detector', 'repair'])
    t.true((counts.get(type) ?? 0) > 0, `no ${type}`);
  const drops = trace.events.filter((e) => e.type === 'msg-drop');
  t.true(drops.some((e) => e.type === 'msg-drop' && e.why === 'loss'));
  // The history's operations are the trace's: the same ids, keys and coordinators.
  const records = history
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as HistoryRecord);
  const completed = records.filter((r): r is CompleteRecord => r.type === 'complete');
  const invokes = new Map(
    trace.events.flatMap((e) => (e.type === 'op-invoke' ? [[e.op, e] as const] : [])),
  );
  const coordinated = completed.filter((r) => r.result.ok || r.replicas !== undefined);
  t.true(coordinated.length > 0);
  for (const record of coordinated) {
    const invoke = invokes.get(record.id);
    t.truthy(invoke, `operation ${record.id} has no op-invoke`);
    t.is(invoke?.key, record.key);
    t.is(invoke?.node, record.node);
  }
});

test('trace KEY on a simulated seed draws its golden diagram within 80 columns', async (t) => {
  const { trace, text } = await simTrace(7);
  t.deepEqual(parseTrace(text), trace);
  const lines = [...renderTraceCommand(trace), '', ...renderTraceCommand(trace, 'k1')];
  for (const line of lines) t.true([...line].length <= diagramColumns, line);
  const drawn = `${lines.join('\n')}\n`;
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(goldenUrl, drawn);
  t.is(drawn, readFileSync(goldenUrl, 'utf8'));
});

test('quartet sim --seeds with --trace is refused with USAGE: a trace is one seed\u2019s', async (t) => {
  const run = await execa(process.execPath, [quartet, 'sim', '--seeds', '2', '--trace', 'x'], {
    reject: false,
    env: { NO_COLOR: '1' },
  });
  t.is(run.exitCode, 2);
  t.regex(run.stderr, /USAGE: `--trace` writes one seed/);
});

test('a simulated trace holds heartbeats, anti-entropy\u2019s ranges and keys, and crash drops', async (t) => {
  const [seven, two] = await Promise.all([simTrace(7), simTrace(2)]);
  const sends = (trace: typeof seven.trace) =>
    trace.events.flatMap((e) => (e.type === 'msg-send' ? [e] : []));
  // Heartbeats: one-way pings, background traffic with no operation.
  const pings = sends(seven.trace).filter((e) => e.kind === 'ping');
  t.true(pings.length > 0, 'no ping traced');
  t.true(pings.every((e) => e.op === null));
  // A crash breaks the connections: what was on the way to or from the node says so.
  const why = new Set(seven.trace.events.flatMap((e) => (e.type === 'msg-drop' ? [e.why] : [])));
  t.true(why.has('crash'), `drop reasons: ${[...why].join(', ')}`);
  // Anti-entropy: trees cover their ranges, range requests ask for some, replies stream keys,
  // and each key pushed to the peer is a range with its key and version.
  const ae = sends(two.trace);
  t.true(ae.filter((e) => e.kind === 'tree').every((e) => (e.ranges ?? 0) > 0));
  t.true(ae.some((e) => e.kind === 'range' && (e.ranges ?? 0) > 0));
  t.true(ae.some((e) => e.kind === 'range-reply' && e.keys !== undefined));
  t.true(ae.some((e) => e.kind === 'range' && e.key !== undefined && e.ts !== undefined));
});

test('quartet sim --seed N --report writes the seed\u2019s report; with --seeds it is refused', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'quartet-sim-report-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const out = join(directory, 'r.html');
  const run = await execa(process.execPath, [quartet, 'sim', '--seed', '2', '--report', out], {
    reject: false,
    env: { NO_COLOR: '1' },
  });
  t.is(run.exitCode, 0, run.stderr);
  t.regex(run.stdout, /report: .*r\.html \(\d+ messages, \d+ findings, \d+ bytes\)/);
  const html = await readFile(out, 'utf8');
  t.regex(html, /^<!doctype html>/i);
  const many = await execa(process.execPath, [quartet, 'sim', '--seeds', '2', '--report', out], {
    reject: false,
  });
  t.is(many.exitCode, 2);
  t.regex(many.stderr, /^error USAGE: `--report` writes one seed/);
});
