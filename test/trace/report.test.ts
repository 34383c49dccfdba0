import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { trackKeyVersions } from '../../src/trace/key-versions.js';
import {
  createLayout,
  messageStride,
  selectMessages,
  type DiagramFilter,
} from '../../src/trace/diagram-window.js';
import { renderLamportSvg } from '../../src/trace/lamport-svg.js';
import { encodeReportData } from '../../src/trace/report-data.js';
import { formatTrace } from '../../src/trace/trace-format.js';
import { buildTraceModel } from '../../src/trace/trace-model.js';
import { buildLargeTrace } from '../browser/large-trace.js';
import { buildFixtureTrace, TraceBuilder, ts } from './trace-builder.js';

const quartet = new URL('../../../bin/quartet', import.meta.url).pathname;
const everything = (endT: number): DiagramFilter => ({
  key: -1,
  node: -1,
  op: -1,
  level: -1,
  hideBackground: false,
  fromT: 0,
  toT: endT,
});
const count = (text: string, needle: RegExp): number => text.match(needle)?.length ?? 0;

async function fixtureFile(): Promise<{ dir: string; trace: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-report-'));
  const trace = join(dir, 'fixture.trace');
  await writeFile(trace, formatTrace(buildFixtureTrace()));
  return { dir, trace };
}

test('each replica\u2019s versions of a key, and what closed each window of disagreement', (t) => {
  const [k1] = trackKeyVersions(buildTraceModel(buildFixtureTrace()));
  t.deepEqual(k1?.replicas, [1, 2, 3]);
  t.deepEqual(
    k1?.changes.map((change) => `n${change.node}@${change.t / 1000}:${change.via}`),
    [
      'n1@2.1:write',
      'n3@5.1:write',
      'n2@19.3:read repair',
      'n1@57.1:write',
      'n2@73:hint',
      'n3@93.2:anti-entropy',
    ],
  );
  t.deepEqual(k1?.windows, [
    { fromT: 2100, toT: 19300, closedBy: 'read repair' },
    { fromT: 57100, toT: 93200, closedBy: 'anti-entropy' },
  ]);
});

test('a coordinator that is a replica holds its own write and its own read repair, without a message', (t) => {
  // n1 coordinates an insert of k on n1-n3 (n3's copy is lost), then a read repairs n3 and n1.
  const b = new TraceBuilder();
  const v1 = ts(1000, 1);
  b.at(1, {
    type: 'op-invoke',
    op: 1,
    client: 'c',
    node: 1,
    kind: 'insert',
    key: 'k',
    level: 'one',
    value: 'a',
  });
  const w2 = b.send(1.1, 'write', 1, 2, 1, 1, { key: 'k', ts: v1 });
  const w3 = b.send(1.1, 'write', 1, 3, 1, 1, { key: 'k', ts: v1 });
  b.deliver(2.1, w2);
  b.drop(1.1, w3, 'loss');
  const replicas = [1, 2, 3].map((node) => ({ node, state: 'fresh' as const }));
  b.at(1.2, { type: 'op-complete', op: 1, ok: true, acks: 1, required: 1, replicas });
  b.at(5, { type: 'op-invoke', op: 2, client: 'c', node: 1, kind: 'get', key: 'k', level: 'all' });
  b.at(6, { type: 'repair', op: 2, node: 3, key: 'k', to: v1, applied: true });
  const [k] = trackKeyVersions(buildTraceModel(b.build()));
  t.deepEqual(k?.replicas, [1, 2, 3]);
  t.deepEqual(
    k?.changes.map((change) => `n${change.node}@${change.t / 1000}:${change.via}`),
    ['n1@1:write', 'n2@2.1:write', 'n3@6:read repair'],
  );
  t.deepEqual(k?.windows, [{ fromT: 1000, toT: 6000, closedBy: 'read repair' }]);
});

test('only the messages that cross the window are drawn, and filters pick among them', (t) => {
  const data = encodeReportData(buildTraceModel(buildLargeTrace(20_000)));
  const filter = everything(data.endT);
  const layout = createLayout(data, 'real', 100, 900, filter);
  const all = selectMessages(data, layout, filter, 0, layout.height);
  t.is(all.length, data.m.length / messageStride);
  const fromY = layout.yOf(1_000_000);
  const toY = fromY + 900;
  const inView = selectMessages(data, layout, filter, fromY, toY);
  const crossing = all.filter((i) => {
    const sentY = layout.yOf(data.m[i * messageStride] ?? 0);
    const endY = layout.yOf(data.m[i * messageStride + 1] ?? 0);
    return sentY <= toY && endY >= fromY;
  });
  t.deepEqual(inView, crossing);
  t.true(inView.length > 0 && inView.length < all.length / 20);
  const svg = renderLamportSvg(data, layout, filter, {
    fromY,
    toY,
    selectedOp: -1,
    standalone: false,
  });
  t.is(count(svg, /class="arrow /g), inView.length);
  const onNode = selectMessages(data, layout, { ...filter, node: 2 }, 0, layout.height);
  t.true(
    onNode.every((i) => data.m[i * messageStride + 2] === 2 || data.m[i * messageStride + 3] === 2),
  );
  t.true(onNode.length > 0 && onNode.length < all.length);
});

test('quartet report writes one HTML file that loads nothing from the network', async (t) => {
  const { dir, trace } = await fixtureFile();
  const out = join(dir, 'report.html');
  const result = await execa('node', [quartet, 'report', trace, '-o', out]);
  t.regex(result.stdout, /wrote .*report\.html: 22 messages, \d+ bytes \(\d+ bytes per message\)/);
  const html = await readFile(out, 'utf8');
  t.false(/<script[^>]+src=|<link |@import|url\(http|fetch\(|XMLHttpRequest/.test(html));
  t.is(
    count(html, /https?:\/\//g),
    count(html, /http:\/\/www\.w3\.org\/2000\/svg/g),
    'only the SVG namespace',
  );
});

test('quartet report --svg writes the whole Lamport diagram: an arrow per message delivered or dropped', async (t) => {
  const { dir, trace } = await fixtureFile();
  const out = join(dir, 'diagram.svg');
  await execa('node', [quartet, 'report', trace, '--svg', out]);
  const svg = await readFile(out, 'utf8');
  t.true(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') && svg.endsWith('</svg>'));
  const ended = buildFixtureTrace().events.filter(
    (e) => e.type === 'msg-deliver' || e.type === 'msg-drop',
  );
  t.is(count(svg, /<line class="arrow /g), ended.length);
  t.is(count(svg, /class="x"/g), ended.filter((e) => e.type === 'msg-drop').length);
  t.is(count(svg, /class="band band-down"/g), 1);
});

test('a bad trace is a one-line BAD_REQUEST naming file and line, and no report', async (t) => {
  const { dir, trace } = await fixtureFile();
  const text = await readFile(trace, 'utf8');
  await writeFile(trace, text.replace('"kind":"read"', '"kind":"gossip"'));
  const result = await execa('node', [quartet, 'report', trace, '-o', join(dir, 'r.html')], {
    reject: false,
  });
  t.is(result.exitCode, 1);
  t.regex(
    result.stderr,
    new RegExp(`^error BAD_REQUEST: Bad trace line ${trace}:\\d+: not a trace event: .*\\(kind\\)`),
  );
  t.is(result.stderr.trim().split('\n').length, 1);
  const missing = await execa('node', [quartet, 'report', join(dir, 'none.trace')], {
    reject: false,
  });
  t.regex(
    missing.stderr,
    /^error BAD_REQUEST: Cannot read the trace .*none\.trace: no such file\./,
  );
});
