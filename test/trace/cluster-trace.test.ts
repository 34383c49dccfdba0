import test from 'ava';
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePorts } from '../../src/launcher/free-ports.js';
import { quartetBin } from '../../src/terminal/paths.js';
import { renderTraceCommand } from '../../src/trace/text-diagram.js';
import { readTraceFile } from '../../src/trace/trace-parse.js';
import { writeTestConfig } from '../helpers/cluster.js';
import { checkProducedTrace } from './trace-checks.js';
import { readHistoryFile } from '../../src/check/parse-history.js';
import type { ReportData } from '../../src/trace/report-data.js';

function embeddedData(html: string): ReportData {
  const match = /<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(match?.[1] ?? 'null') as ReportData;
}

const examples = new URL('../../../examples/', import.meta.url).pathname;
const configs = new URL('../../../configs/', import.meta.url).pathname;

test('quartet run examples/stale-read.kv --trace: real nodes write a trace the views read', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-cluster-trace-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  // The default config (node 2's messages slow) on free ports.
  const config = JSON.parse(await readFile(join(configs, 'default.json'), 'utf8'));
  const ports = await findFreePorts(4);
  const servers = ports.map((port) => `127.0.0.1:${port}`);
  config.delays = Object.fromEntries(
    config.servers.map((server: string, i: number) => [servers[i], config.delays[server]]),
  );
  config.servers = servers;
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify(config));
  const tracePath = join(dir, 'run.trace');
  const historyPath = join(dir, 'run.history');
  const reportPath = join(dir, 'run.html');
  const args = ['run', join(examples, 'stale-read.kv'), '--config', configPath, '--dir', dir];
  const outputs = ['--trace', tracePath, '--history', historyPath, '--report', reportPath];
  const run = await execa(quartetBin, [...args, ...outputs], {
    reject: false,
    env: { NO_COLOR: '1' },
  });
  t.is(run.exitCode, 0, run.stdout + run.stderr);
  t.regex(run.stderr + run.stdout, /report: .*run\.html \(\d+ messages, 1 findings, \d+ bytes\)/);
  const trace = await readTraceFile(tracePath);
  // The trace names the operations by the history's ids, so the finding names trace operations.
  const history = await readHistoryFile(historyPath);
  const invoked = trace.events.flatMap((e) => (e.type === 'op-invoke' ? [e.op] : []));
  t.deepEqual(
    invoked,
    history.flatMap((r) => (r.type === 'invoke' ? [r.id] : [])),
  );
  const data = embeddedData(await readFile(reportPath, 'utf8'));
  t.is(data.findings.length, 1);
  const [kind, , operations] = data.findings[0]!;
  t.is(kind, 'stale-read');
  t.true(operations.length > 0 && operations.every((op) => invoked.includes(op)));
  t.is(trace.meta.source, 'cluster');
  const counts = checkProducedTrace(t, trace);
  // The file's five data operations, each invoked and completed once.
  t.is(counts.get('op-invoke'), 5);
  t.is(counts.get('op-complete'), 5);
  // The message `loss 1->2 100%` lost, with its fault, and the read repair of node 2.
  const drops = trace.events.filter((e) => e.type === 'msg-drop');
  t.true(drops.some((e) => e.type === 'msg-drop' && e.why === 'loss'));
  const faults = trace.events.filter((e) => e.type === 'fault');
  t.deepEqual(
    faults.map((e) => e.type === 'fault' && [e.fault, e.from, e.to, e.lossRate]),
    [
      ['loss', 1, 2, 1],
      ['loss', 1, 2, 0],
    ],
  );
  t.true(trace.events.some((e) => e.type === 'repair' && e.node === 2 && e.applied));
  // Replies carry their operation (it rides on the wire when tracing), so reads pair them.
  const replies = trace.events.filter((e) => e.type === 'msg-send' && e.kind === 'read-reply');
  t.true(replies.length > 0 && replies.every((e) => e.type === 'msg-send' && e.op !== null));
  const lines = renderTraceCommand(trace, '5');
  t.regex(lines[0] ?? '', /^op \d+ get 5 all via n1/);
  t.regex(lines.join('\n'), /counted/);
});

test('a real run traces heartbeats, holds deliveries to a paused node until it resumes, drops what a killed node never got as crash, and a restarted node\u2019s messages keep unique ids', async (t) => {
  // Key 5's replicas are n3, n1, n2; n1 coordinates. Fixed delays, so the held write stays held.
  const { configPath, dir } = await writeTestConfig(t);
  const input = [
    'insert 5 a all', // op 1
    'pause 2',
    'insert 5 b one', // op 3: its write to n2 waits in n2's socket
    'sleep 300ms',
    'resume 2',
    'wait repairs',
    'delay 3 5000ms',
    'insert 5 c one', // op 8: its write to n3 is held on n1's link
    'kill 3',
    'delay 3 0ms',
    'restart 3', // its messages keep ids of their own: the trace parses
    'insert 5 d all',
    '',
  ].join('\n');
  const tracePath = join(dir, 'pause.trace');
  const run = await execa(
    quartetBin,
    ['run', '-', '--config', configPath, '--dir', dir, '--trace', tracePath],
    { input, reject: false, env: { NO_COLOR: '1' } },
  );
  t.is(run.exitCode, 0, run.stdout + run.stderr);
  const trace = await readTraceFile(tracePath);
  checkProducedTrace(t, trace);
  const sends = new Map(trace.events.flatMap((e) => (e.type === 'msg-send' ? [[e.msg, e]] : [])));
  const fault = (kind: string) => trace.events.find((e) => e.type === 'fault' && e.fault === kind);
  const resumeT = fault('resume')?.t ?? Infinity;
  const pings = [...sends.values()].filter((e) => e.kind === 'ping');
  t.true(pings.length > 0 && pings.every((e) => e.op === null), 'heartbeats are traced');
  const ended = (op: number, to: number) =>
    trace.events.filter((e) => {
      if (e.type !== 'msg-deliver' && e.type !== 'msg-drop') return false;
      const send = sends.get(e.msg);
      return send?.op === op && send.to === to && send.kind === 'write';
    });
  const [paused] = ended(3, 2);
  t.is(paused?.type, 'msg-deliver');
  t.true((paused?.t ?? 0) >= resumeT, 'delivered when n2 resumed, not when n1 wrote it');
  const [lost] = ended(8, 3);
  t.true(lost?.type === 'msg-drop' && lost.why === 'crash', JSON.stringify(lost));
});

test('trace at the prompt of a batch file draws the last operation, and trace KEY the last on KEY', async (t) => {
  const { configPath, dir } = await writeTestConfig(t);
  const input = 'insert 5 a all\nget 6 one\ntrace 5\ntrace\ntrace nope\n';
  const run = await execa(quartetBin, ['run', '-', '--config', configPath, '--dir', dir], {
    input,
    reject: false,
    env: { NO_COLOR: '1' },
  });
  t.is(run.exitCode, 0, run.stdout + run.stderr);
  const drawn = run.stdout.split('\n');
  const heads = drawn.filter((line) => /op \d+ (insert|get) /.test(line));
  t.is(heads.length, 2, run.stdout);
  t.regex(heads[0]!, /op \d+ insert 5 all via n1/);
  t.regex(heads[1]!, /op \d+ get 6 one via n1/);
  t.regex(run.stdout, /found a|ok|3 of 3/);
  t.regex(run.stdout, /No operation on key nope in the trace/);
});
