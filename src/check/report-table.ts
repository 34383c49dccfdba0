import type { ChalkInstance } from 'chalk';
import { renderTable } from '../terminal/fit-table.js';
import { wrapWithIndent } from '../terminal/wrap-text.js';
import type { CheckReport, KeyRow, ReadRow, WriteRow } from './report.js';

type Cell = string | number;

function table(
  head: string[],
  rows: Cell[][],
  style: ChalkInstance,
  width: number | undefined,
): string {
  return renderTable({
    head: head.map((name) => style.bold(name)),
    rows,
    width,
    rowRules: false,
    repeatColumns: 1,
    aligns: head.map((_, i) => (i === 0 ? 'left' : 'right')),
  });
}

function count(value: number, style: ChalkInstance, bad = false): string {
  if (value === 0) return '0';
  return bad ? style.red.bold(String(value)) : style.yellow(String(value));
}

export function readsTable(rows: readonly ReadRow[], style: ChalkInstance, width?: number): string {
  return table(
    ['reads (W/R)', 'RF', 'promise', 'reads', 'stale', 'data loss', 'broken'],
    rows.map((row) => [
      `${row.write}/${row.read}`,
      row.replicationFactor,
      row.promised ? 'W+R>RF: none stale' : 'measured',
      row.reads,
      count(row.stale, style, row.promised && row.stale > row.staleDataLoss),
      row.staleDataLoss,
      count(row.broken, style, true),
    ]),
    style,
    width,
  );
}

export function writesTable(
  rows: readonly WriteRow[],
  style: ChalkInstance,
  width?: number,
): string {
  return table(
    [
      'writes (W)',
      'acked',
      'indefinite',
      'lost',
      'resurrected',
      'data loss',
      'overwritten (ts)',
      'broken',
    ],
    rows.map((row) => [
      row.level,
      row.acknowledged,
      row.indefinite,
      count(row.lost, style),
      count(row.resurrected, style),
      row.dataLoss,
      count(row.overwritten, style),
      count(row.broken, style, true),
    ]),
    style,
    width,
  );
}

export function linearizabilityTable(
  rows: readonly KeyRow[],
  style: ChalkInstance,
  width?: number,
): string {
  return table(
    [
      'linearizable? (W/R)',
      'RF',
      'keys',
      'promised',
      'not',
      'not, promised',
      'first cause per key',
      'broken',
    ],
    rows.map((row) => [
      row.levels,
      row.replicationFactor,
      row.keys,
      row.promisedKeys,
      count(row.nonLinearizable, style),
      count(row.nonLinearizablePromised, style),
      Object.entries(row.causes)
        .map(([cause, n]) => `${cause} ${n}`)
        .join(', ') || '-',
      count(row.broken, style, true),
    ]),
    style,
    width,
  );
}

/** The whole report as people read it: a heading, three tables, findings, the verdict. */
export function formatReport(report: CheckReport, style: ChalkInstance, width?: number): string {
  const { meta } = report;
  const storage =
    meta.durable === null
      ? 'storage unknown'
      : meta.durable
        ? 'durable storage'
        : 'in-memory storage';
  const origin = meta.source === 'sim' ? `sim seed ${meta.seed ?? '?'}` : 'cluster';
  const lines = [
    `${report.operations} operations on ${report.keys} keys (${origin}, RF ${meta.replicationFactor}, read repair ${meta.readRepair}, ${storage})`,
    '',
  ];
  if (report.reads.length > 0) lines.push(readsTable(report.reads, style, width), '');
  if (report.writes.length > 0) lines.push(writesTable(report.writes, style, width), '');
  if (report.linearizability.length > 0)
    lines.push(linearizabilityTable(report.linearizability, style, width), '');
  const { convergence, clocks } = report;
  if (convergence.judged)
    lines.push(
      `Convergence: ${convergence.keys} keys read at \`all\` once quiet, ${convergence.diverged} left with differing replicas (${convergence.promised ? 'promised: read repair is on' : 'not promised: read repair is off'}).`,
    );
  if (report.keysWithoutFinalRead > 0)
    lines.push(
      `${report.keysWithoutFinalRead} keys have no final read at \`all\`: lost writes not judged.`,
    );
  if (clocks.skewed || clocks.coarse)
    lines.push(
      `Clocks: ${[clocks.skewed ? 'skewed' : '', clocks.coarse ? 'coarse timestamps' : ''].filter(Boolean).join(' and ')}; writes can lose to older ones under last write wins.`,
    );
  if (report.findings.length > 0) {
    lines.push(
      '',
      style.bold('Findings') +
        (report.findingsOmitted > 0 ? ` (${report.findingsOmitted} more not shown)` : ''),
    );
    for (const finding of report.findings) {
      const mark = finding.broken ? style.red('✗') : style.gray('·');
      const cause = finding.cause === undefined ? '' : ` (${finding.cause})`;
      const excuse = finding.excuse === undefined ? '' : style.gray(` [${finding.excuse}]`);
      lines.push(`${mark} ${finding.kind}${cause} ${finding.key}: ${finding.message}${excuse}`);
    }
  }
  lines.push(
    '',
    report.ok
      ? style.green('OK: no promise of the levels is broken.')
      : style.red.bold(
          `BROKEN: ${report.broken} finding${report.broken === 1 ? '' : 's'} break a promise of the levels.`,
        ),
  );
  return lines.map((line) => wrapWithIndent(line, width, '  ')).join('\n');
}
