import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { QuartetError } from '../../src/core/errors.js';
import { formatTrace } from '../../src/trace/trace-format.js';
import { parseTrace, readTraceFile } from '../../src/trace/trace-parse.js';
import { TraceWriter } from '../../src/trace/trace-writer.js';
import { buildFixtureTrace } from './trace-builder.js';

test('a trace written as JSON lines reads back the same', (t) => {
  const trace = buildFixtureTrace();
  t.deepEqual(parseTrace(formatTrace(trace), 'fixture.trace'), trace);
});

const meta = formatTrace({ ...buildFixtureTrace(), events: [] }).trimEnd();

const badLine = test.macro({
  exec(t, text: string, where: string, problem: RegExp) {
    const error = t.throws(() => parseTrace(text, 'run.trace'), { instanceOf: QuartetError });
    t.is(error?.code, 'BAD_REQUEST');
    t.true(error?.message.includes(`run.trace:${where}`), error?.message);
    t.regex(error?.message ?? '', problem);
  },
  title: (given = '') => `a bad trace is refused naming its line: ${given}`,
});

test('not JSON', badLine, `${meta}\n{"type":`, '2', /not valid JSON/);
test(
  'no meta first',
  badLine,
  '{"type":"level-met","t":1,"op":1}',
  '1',
  /first line must be the trace `meta`/,
);
test('empty', badLine, '\n\n', '1', /empty/);
test('unknown event', badLine, `${meta}\n{"type":"teleport","t":1}`, '2', /not a trace event/);
test(
  'bad field',
  badLine,
  `${meta}\n{"type":"msg-send","t":1,"msg":1,"kind":"gossip","from":1,"to":2,"op":null,"delayMs":1}`,
  '2',
  /kind/,
);
test(
  'deliver before send',
  badLine,
  `${meta}\n{"type":"msg-deliver","t":1,"msg":9}`,
  '2',
  /never sent/,
);
test(
  'a message sent twice',
  badLine,
  `${meta}\n{"type":"msg-send","t":1,"msg":1,"kind":"ping","from":1,"to":2,"op":null,"delayMs":1}\n{"type":"msg-send","t":2,"msg":1,"kind":"ping","from":1,"to":2,"op":null,"delayMs":1}`,
  '3',
  /sent twice/,
);
test('another version', badLine, meta.replace('"version":1', '"version":2'), '1', /version/);

test('the trace writer streams a trace that the reader takes back whole', async (t) => {
  const trace = buildFixtureTrace();
  const path = join(await mkdtemp(join(tmpdir(), 'quartet-trace-')), 'run.trace');
  const writer = new TraceWriter(path, trace.meta);
  writer.append(trace.events.slice(0, 10));
  writer.append(trace.events.slice(10));
  await writer.close();
  t.deepEqual(await readTraceFile(path), trace);
  t.throws(() => writer.append([]), { message: /already closed/ });
});
