import type { ChalkInstance } from 'chalk';
import { linearizabilityTable, readsTable, writesTable } from '../check/report-table.js';
import { wrapWithIndent } from '../terminal/wrap-text.js';
import type { SimSummary } from './summary.js';

/** Many seeds at a glance: the check tables summed over runs, then the seeds that failed. */
export function formatSummary(
  summary: SimSummary,
  from: number,
  style: ChalkInstance,
  width?: number,
): string {
  const seconds = (summary.elapsedMs / 1000).toFixed(1);
  const faults = Object.entries(summary.faults)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, runs]) => `${kind} ${runs}`)
    .join(', ');
  const { convergence } = summary;
  const lines = [
    `${summary.runs} seeds (${from}..${from + summary.runs - 1}), ${summary.operations} operations in ${seconds} s`,
    `runs with each fault: ${faults || 'none'}`,
    '',
    readsTable(summary.reads, style, width),
    '',
    writesTable(summary.writes, style, width),
    '',
    linearizabilityTable(summary.linearizability, style, width),
    '',
    `Convergence: ${convergence.keys} keys read at \`all\` once quiet, ${convergence.diverged} diverged (${convergence.divergedPromised} where read repair was on).`,
    '',
  ];
  if (summary.failures === 0) {
    lines.push(style.green(`OK: no seed broke a promise of its levels.`));
  } else {
    lines.push(
      style.red.bold(`BROKEN: ${summary.failures} seeds broke a promise of their levels.`),
    );
    for (const failed of summary.failed) {
      lines.push(`  seed ${failed.seed}: ${failed.finding}`, `    replay: ${failed.replay}`);
    }
  }
  return lines.map((line) => wrapWithIndent(line, width, '      ')).join('\n');
}
