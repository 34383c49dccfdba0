import { stripVTControlCharacters as strip } from 'node:util';
import test from 'ava';
import { summarize } from '../../../src/orchestrator/batch/summary.js';
import { TableOutput } from '../../../src/orchestrator/batch/table-output.js';
import type { LineOutcome } from '../../../src/orchestrator/batch/types.js';
import { measureDisplayWidth } from '../../../src/terminal/display-width.js';
import { assertFits, collectOutput, testWidths } from '../../helpers/widths.js';
import { commandRecords, opRecords, repairRecord } from './fixtures.js';

const file = 'examples/a-rather-long-directory-name/stale-read-under-partition.kv';

// `quartet run` lines: each fixture record with the assertions a batch file would make of it.
const outcomes: LineOutcome[] = [...opRecords, ...commandRecords].map((record, i) => ({
  file,
  parsed: {
    line: i + 1,
    source: '',
    command:
      record.type === 'op'
        ? { kind: 'get', key: record.key }
        : { kind: 'status', ...(record.status?.length === 1 ? { node: 1 } : {}) },
    background: false,
    assertions: [],
  },
  record,
  assertions: [
    { text: '"a value long enough"', ok: i !== 1 },
    { text: 'stale 2', ok: true },
    { text: 'repaired 3', ok: false, message: 'no read repair of node 3 came within 10000 ms' },
  ],
  ...(record.ok ? {} : { unexpectedError: record.error! }),
}));

function printRun(width: number | undefined): string {
  const out = collectOutput();
  const output = new TableOutput(out as unknown as NodeJS.WriteStream, out as never, {
    ...(width === undefined ? {} : { width }),
    replicationFactor: 3,
  });
  output.fileStart(file);
  for (const outcome of outcomes) output.line(outcome);
  output.repair(repairRecord);
  const summary = summarize({
    file,
    outcomes,
    repairs: [repairRecord],
    messages: { sent: 5678, dropped: 12 },
    durationMs: 1234,
  });
  output.fileEnd({ file, lines: outcomes, repairs: [repairRecord], summary });
  return strip(out.text());
}

for (const width of testWidths) {
  test(`a batch run's rows, verdicts and summary fit ${width} columns`, (t) => {
    assertFits(t, printRun(width), width);
  });
}

test('at 80 columns the verdicts of a batch line go under its row', (t) => {
  const text = printRun(80);
  t.regex(text, /\n {7}✔ "a value long enough" ✔ stale 2 ✘ repaired 3/);
  t.notRegex(text.split('\n')[1] ?? '', /check/);
});

test('piped, each batch row stays one line with its verdicts at the end', (t) => {
  const rows = printRun(undefined)
    .split('\n')
    .filter((line) => /^ \d+ +│ n\d/.test(line));
  t.is(rows.length, outcomes.length);
  for (const row of rows) t.regex(row, /✘ repaired 3/);
  t.true(rows.some((row) => measureDisplayWidth(row) > 120));
});
