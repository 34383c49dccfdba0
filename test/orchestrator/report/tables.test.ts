import { stripVTControlCharacters as strip } from 'node:util';
import test from 'ava';
import { helpText } from '../../../src/orchestrator/grammar.js';
import { describeCommandRecord } from '../../../src/orchestrator/report/command-tables.js';
import { createStyle } from '../../../src/terminal/style.js';
import { TableReporter } from '../../../src/orchestrator/report/table-reporter.js';
import { measureDisplayWidth } from '../../../src/terminal/display-width.js';
import { assertFits, collectOutput, testWidths } from '../../helpers/widths.js';
import { commandRecords, opRecords, repairRecord, status8 } from './fixtures.js';

const style = createStyle({ isTTY: true });

function printSession(width: number | undefined): string {
  const out = collectOutput();
  const reporter = new TableReporter(out, { width: () => width, replicationFactor: 3 });
  for (const record of opRecords) reporter.record(record);
  reporter.record(repairRecord);
  for (const record of commandRecords) reporter.record(record);
  reporter.notice(
    'Node logs: /a/rather/long/path/to/the/cluster/directory/.quartet/logs/node-N.log. Type `help` for the commands, `quit` to stop.',
  );
  return strip(out.text());
}

for (const width of testWidths) {
  test(`every line of a session's result rows and tables fits ${width} columns`, (t) => {
    assertFits(t, printSession(width), width);
  });

  for (const record of commandRecords) {
    const what = record.status?.length === 1 ? 'status N' : record.ok ? record.op : 'an error';
    test(`the ${what} table fits ${width} columns`, (t) => {
      assertFits(t, describeCommandRecord(record, style, width), width);
    });
  }
}

test('at 80 columns a result row is one line with compact replica labels and a legend', (t) => {
  const text = printSession(80);
  t.regex(text, /replicas: .*✔ fresh/);
  t.is(text.match(/replicas: /g)?.length, 1, 'the legend is shown once');
  const insertRow = text.split('\n').find((line) => line.includes('insert 5 1'));
  t.truthy(insertRow);
  t.regex(insertRow!, /n1 ✔\+ n2 … n3 …/);
});

test('at 120 columns the replicas of a result row show in full on one line', (t) => {
  const text = printSession(120);
  const row = text.split('\n').find((line) => line.includes('insert 5 1'));
  t.regex(row!, /n1 fresh\+new  n2 pending  n3 pending$/);
  t.notRegex(text, /replicas: /);
});

test('a failed operation shows its code in the row and the whole message under it', (t) => {
  const text = printSession(80);
  t.regex(text, /│ ✘ TIMEOUT +│[^]*?\n {3}✘ TIMEOUT: Only 1 of 3 replicas answered/);
  t.regex(text, /\n {5}the write may still have been applied on the replicas that got it\./);
});

test('piped, every result row stays one line at full width', (t) => {
  const text = printSession(undefined);
  const rows = text.split('\n').filter((line) => /^ n\d /.test(line));
  t.is(rows.length, opRecords.length);
  t.true(
    rows.some((row) => measureDisplayWidth(row) > 120),
    'a long row is not cut or wrapped',
  );
  t.true(rows.some((row) => row.includes('Only 1 of 3 replicas answered') && row.includes('n3 ')));
});

test('status is one line per node; status N lists every peer of that node', (t) => {
  const all = strip(describeCommandRecord(commandRecords[0]!, style, 80));
  const nodeLines = all.split('\n').filter((line) => /^│ n\d/.test(line));
  t.is(nodeLines.length, status8.length);
  t.regex(all, /│ n8 +│ 10007 +│/, 'ports are not broken');
  t.regex(all, /host: 127\.0\.0\.1/);
  const one = strip(describeCommandRecord(commandRecords[1]!, style, 80));
  for (const peer of [2, 3, 4, 5, 6, 7, 8]) t.regex(one, new RegExp(`│ n${peer} `));
  t.regex(one, /1200 for n5/);
});

test('status says the request timeout the nodes run with, and where it came from', (t) => {
  const derived = {
    ...commandRecords[0]!,
    requestTimeout: { ms: 55000, source: 'derived' as const },
  };
  t.regex(
    strip(describeCommandRecord(derived, style, 80)),
    /request timeout: 55000 ms \(derived from the delays\)/,
  );
  const given = { ...commandRecords[0]!, requestTimeout: { ms: 3000, source: 'config' as const } };
  t.regex(
    strip(describeCommandRecord(given, style, 80)),
    /request timeout: 3000 ms \(set in the config\)/,
  );
});

test('help fits 80 columns, every command still listed with its example', (t) => {
  const text = helpText();
  assertFits(t, text, 80);
  for (const command of ['insert KEY VALUE', 'explain KEY', 'skew N', 'partition', 'wait repairs'])
    t.true(text.includes(command), command);
  t.regex(text, /e\.g\. insert 5 1 one/);
});
