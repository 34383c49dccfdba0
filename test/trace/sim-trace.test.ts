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
