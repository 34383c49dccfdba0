import type { ChalkInstance } from 'chalk';
import { renderTable } from '../../terminal/fit-table.js';
import { wrapWithIndent } from '../../terminal/wrap-text.js';
import { formatLatency } from '../../terminal/style.js';
import type { FileSummary, LevelSummary } from './types.js';

const head = [
  'level',
  'ops',
  'ok',
  'failed',
  'stale reads',
  'repairs sent',
  'applied',
  'p50',
  'p99',
  'msgs/op',
];

/** The summary of one file: a row per level, a total row, assertions, and PASS or FAIL. */
export function printSummary(summary: FileSummary, style: ChalkInstance, width?: number): string {
  const messages = summary.messagesPerOp === null ? '-' : String(summary.messagesPerOp);
  const table = renderTable({
    head: head.map((name) => style.bold(name)),
    rows: [
      ...summary.levels.map((level) => levelRow(level, '-')),
      levelRow(summary.total, messages).map((cell) => style.bold(cell)),
    ],
    width,
  });
  const { passed, failed } = summary.assertions;
  const counts = [
    `assertions: ${style.green(`${passed} passed`)}, ${failed === 0 ? '0 failed' : style.red(`${failed} failed`)}`,
  ];
  if (summary.unexpectedErrors > 0) {
    counts.push(style.red(plural(summary.unexpectedErrors, 'unexpected command error')));
  }
  const dropped = summary.messagesDropped > 0 ? `, ${summary.messagesDropped} dropped` : '';
  counts.push(`${plural(summary.messagesSent, 'message')} between nodes${dropped}`);
  const seconds = (summary.durationMs / 1000).toFixed(1);
  const verdict = summary.ok
    ? style.green.bold(`✔ PASS ${summary.file} (${seconds} s)`)
    : style.red.bold(`✘ FAIL ${summary.file} (${seconds} s)`);
  return `${table}\n${wrapWithIndent(counts.join('; '), width, '  ')}\n${wrapWithIndent(verdict, width, '  ')}\n`;
}

function levelRow(level: LevelSummary, messages: string): string[] {
  return [
    level.level,
    String(level.operations),
    String(level.succeeded),
    String(level.failed),
    String(level.staleReads),
    String(level.repairsSent),
    String(level.repairsApplied),
    level.latencyMsP50 === null ? '-' : formatLatency(level.latencyMsP50),
    level.latencyMsP99 === null ? '-' : formatLatency(level.latencyMsP99),
    messages,
  ];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
