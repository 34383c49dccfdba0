import { stripVTControlCharacters as strip } from 'node:util';
import test from 'ava';
import { checkHistory } from '../../src/check/checker.js';
import { formatReport } from '../../src/check/report-table.js';
import { createStyle } from '../../src/terminal/style.js';
import { randomScenario } from '../../src/sim/random-scenario.js';
import { runScenario } from '../../src/sim/run-scenario.js';
import { runSeeds } from '../../src/sim/run-seeds.js';
import { formatSummary } from '../../src/sim/summary-table.js';
import { measureDisplayWidth } from '../../src/terminal/display-width.js';
import { assertFits, testWidths } from '../helpers/widths.js';

const style = createStyle({ isTTY: true });
// A seeded simulation with faults: every table of the check report has rows, and findings.
let report: ReturnType<typeof checkHistory>;
let summary: Awaited<ReturnType<typeof runSeeds>>;
test.before(async () => {
  report = checkHistory((await runScenario(randomScenario(17))).records);
  summary = await runSeeds({ from: 1, count: 20 });
});

for (const width of testWidths) {
  test(`quartet check's report fits ${width} columns`, (t) => {
    t.true(report.reads.length > 0 && report.writes.length > 0);
    assertFits(t, formatReport(report, style, width), width);
  });

  test(`quartet sim --seeds's summary fits ${width} columns`, (t) => {
    assertFits(t, formatSummary(summary, 1, style, width), width);
  });
}

test('piped, a check table row stays one line however wide', (t) => {
  const text = strip(formatReport(report, style));
  const header = text.split('\n').find((line) => line.includes('linearizable? (W/R)'));
  t.truthy(header, 'the header of the linearizability table is one line');
  t.true(measureDisplayWidth(header ?? '') > 80);
});
