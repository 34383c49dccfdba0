import test from 'ava';
import { escapeXml, toJUnitXml } from '../../../src/orchestrator/batch/junit.js';
import { summarize } from '../../../src/orchestrator/batch/summary.js';
import type { FileResult, LineOutcome } from '../../../src/orchestrator/batch/types.js';
import type { Assertion, Command } from '../../../src/orchestrator/commands.js';
import { findAll, parseXml } from './xml.js';

function outcome(
  file: string,
  line: number,
  source: string,
  assertions: { text: string; ok: boolean; message?: string }[],
  error?: { code: 'TIMEOUT'; message: string },
): LineOutcome {
  const command: Command = { kind: 'get', key: '5' };
  const parsedAssertions: Assertion[] = assertions.map(() => ({ kind: 'ok' }));
  const result: LineOutcome = {
    file,
    parsed: { line, source, command, background: false, assertions: parsedAssertions },
    record: {
      type: 'op',
      seq: line,
      line,
      node: 1,
      op: 'get',
      key: '5',
      level: 'all',
      ok: error === undefined,
      value: '1',
      found: true,
      latencyMs: 12.5,
      acks: 3,
      required: 3,
      replicas: [],
      ...(error === undefined ? {} : { error }),
    },
    assertions,
  };
  if (error !== undefined && assertions.length === 0) result.unexpectedError = error;
  return result;
}

function fileResult(file: string, lines: LineOutcome[]): FileResult {
  const summary = summarize({
    file,
    outcomes: lines,
    repairs: [],
    messages: { sent: 0, dropped: 0 },
    durationMs: 1500,
  });
  return { file, lines, repairs: [], summary };
}

const results = [
  fileResult('demo & "friends".kv', [
    outcome('demo & "friends".kv', 1, 'get 5 all => 1', [{ text: '1', ok: true }]),
    outcome('demo & "friends".kv', 2, 'get 5 all => "<b>", stale 2', [
      { text: '"<b>"', ok: false, message: 'expected "<b>", read "1" & more' },
      { text: 'stale 2', ok: true },
    ]),
    outcome('demo & "friends".kv', 3, 'get 5 all', [], {
      code: 'TIMEOUT',
      message: "Timed out: 'a' \u0001",
    }),
  ]),
  fileResult('empty.kv', []),
];

test('JUnit output is well-formed XML with a suite per file and a case per assertion', (t) => {
  const xml = parseXml(toJUnitXml(results));
  const suites = findAll(xml, 'testsuite');
  t.deepEqual(
    suites.map((suite) => suite.attributes.name),
    ['demo & "friends".kv', 'empty.kv'],
  );
  t.deepEqual(
    findAll(suites[0]!, 'testcase').map((c) => c.attributes.name),
    [
      'line 1: get 5 all => 1',
      'line 2: get 5 all => "<b>", stale 2 ["<b>"]',
      'line 2: get 5 all => "<b>", stale 2 [stale 2]',
      'line 3: get 5 all',
    ],
  );
  t.is(findAll(suites[1]!, 'testcase').length, 0);
});

test('JUnit counts agree with the cases at every level', (t) => {
  const xml = parseXml(toJUnitXml(results));
  t.deepEqual(
    [xml.attributes.tests, xml.attributes.failures, xml.attributes.errors, xml.attributes.time],
    ['4', '1', '1', '3.000'],
  );
  const [demo, empty] = findAll(xml, 'testsuite');
  t.deepEqual(
    [
      demo!.attributes.tests,
      demo!.attributes.failures,
      demo!.attributes.errors,
      demo!.attributes.time,
    ],
    ['4', '1', '1', '1.500'],
  );
  t.deepEqual(
    [empty!.attributes.tests, empty!.attributes.failures, empty!.attributes.errors],
    ['0', '0', '0'],
  );
});

test('a failure names the failing line and why; an unexpected error carries its code', (t) => {
  const xml = parseXml(toJUnitXml(results));
  const [failure] = findAll(xml, 'failure');
  t.is(
    failure!.attributes.message,
    'line 2: get 5 all => "<b>", stale 2: `"<b>"` did not hold: expected "<b>", read "1" & more',
  );
  t.is(
    failure!.text,
    'demo & "friends".kv:2: get 5 all => "<b>", stale 2\n`"<b>"` did not hold: expected "<b>", read "1" & more',
  );
  const [error] = findAll(xml, 'error');
  t.is(error!.attributes.type, 'TIMEOUT');
  t.is(
    error!.attributes.message,
    "line 3: get 5 all: the command failed with TIMEOUT: Timed out: 'a' ",
    'the control character is dropped',
  );
});

test('escapeXml escapes markup and quotes and keeps a newline in an attribute', (t) => {
  t.is(escapeXml(`a<b>&"c"'\n`), 'a&lt;b&gt;&amp;&quot;c&quot;&apos;&#10;');
});
