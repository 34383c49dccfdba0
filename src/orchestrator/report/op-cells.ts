import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { OpRecord, RepairRecord } from '../records.js';
import type { ReplicaState } from '../../core/messages.js';
import { measureDisplayWidth } from '../../terminal/display-width.js';
import { wrapCell } from '../../terminal/fit-table.js';
import { wrapWithIndent } from '../../terminal/wrap-text.js';
import type { RowLayout } from './row-layout.js';
import { formatTs, formatValue, paintReplicaState } from '../../terminal/style.js';

// The pieces of a result row that the prompt and `quartet run` print alike.

const rowChars = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '│',
};

/**
 * One borderless row with the layout's column widths, so rows printed one by one line up. With
 * a width, cells wrap inside their columns; piped, a longer cell widens its column on that row
 * so that the row stays one line.
 */
export function renderRow(cells: string[], layout: RowLayout): string {
  const limited = layout.width !== undefined;
  const colWidths = layout.widths.map((width, i) =>
    limited ? width : Math.max(width, measureDisplayWidth(cells[i] ?? '') + 2),
  );
  const table = new Table({
    chars: rowChars,
    colWidths,
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
  });
  table.push(cells.map((cell, i) => (limited ? wrapCell(cell, colWidths[i]!) : cell)));
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

const replicaSymbols: Record<ReplicaState, string> = {
  fresh: '✔',
  stale: '✘',
  missing: '∅',
  pending: '…',
  down: '↓',
};

/** The key to the compact replica labels, printed once above the first compact row. */
export function describeReplicaLegend(style: ChalkInstance, width: number | undefined): string {
  const states = (Object.keys(replicaSymbols) as ReplicaState[]).map(
    (state) => `${paintReplicaState(style, state, replicaSymbols[state])} ${state}`,
  );
  const text = `replicas: ${states.join('  ')}  ${style.gray('+')} new on that replica`;
  return wrapWithIndent(text, width, '          ');
}

/** A failed operation's error under its row, wrapped to the width (the row shows the code). */
export function describeErrorBelow(
  record: { error?: { code: string; message: string } },
  style: ChalkInstance,
  width: number | undefined,
): string {
  return wrapWithIndent(describeError(record, style, '   '), width, '     ');
}

export function describeError(
  record: { error?: { code: string; message: string } },
  style: ChalkInstance,
  indent = '',
): string {
  return style.red(`${indent}✘ ${record.error?.code ?? 'ERROR'}: ${record.error?.message ?? ''}`);
}

/** The result cell of a failed command when its message goes under the row: just the code. */
export function describeErrorCode(
  record: { error?: { code: string } },
  style: ChalkInstance,
): string {
  return style.red(`✘ ${record.error?.code ?? 'ERROR'}`);
}

/** The result cell: the value read (and whether a stale replica was seen), ok, or the error. */
export function describeResult(record: OpRecord, style: ChalkInstance): string {
  if (!record.ok) return describeError(record, style);
  if (record.op !== 'get') return style.green(record.op === 'delete' ? 'deleted' : 'ok');
  const shown = record.found
    ? style.green(formatValue(record.value, 20))
    : style.magenta('not found');
  const stale = record.replicas.some((r) => r.state === 'stale' || r.state === 'missing');
  return stale ? `${shown} ${style.yellow('(stale seen)')}` : shown;
}

export function describeAnswers(record: OpRecord): string {
  return record.ok || record.replicas.length > 0 ? `${record.acks}/${record.required}` : '-';
}

/** Each replica's state: `n1 fresh+new  n2 pending`, or compact: `n1 ✔+ n2 …`. */
export function describeReplicas(record: OpRecord, style: ChalkInstance, compact = false): string {
  return record.replicas
    .map((replica) => {
      const label = compact ? replicaSymbols[replica.state] : replica.state;
      const created = replica.created === true ? style.gray(compact ? '+' : '+new') : '';
      return `n${replica.node} ${paintReplicaState(style, replica.state, label)}${created}`;
    })
    .join(compact ? ' ' : '  ');
}

/** A read repair's outcome as a line: which replica, from which version to which. */
export function describeRepair(
  record: RepairRecord,
  style: ChalkInstance,
  indent: string,
  label = '',
  width?: number,
): string {
  return wrapWithIndent(describeRepairLine(record, style, indent, label), width, `${indent}  `);
}

function describeRepairLine(
  record: RepairRecord,
  style: ChalkInstance,
  indent: string,
  label: string,
): string {
  const head = `${indent}↳ ${label}read repair of key ${formatValue(record.key, 20)} on n${record.replica} (by n${record.node}): `;
  if (record.error !== undefined) return style.red(`${head}failed: ${record.error.message}`);
  const from = record.from === undefined ? 'nothing' : formatTs(record.from);
  if (record.applied) return style.cyan(`${head}${from} → ${formatTs(record.to)} applied`);
  // Not applied: the replica had the version (or a newer one) by the time the repair came.
  const had =
    record.from !== undefined && formatTs(record.from) !== formatTs(record.to)
      ? `a newer ${formatTs(record.from)}`
      : formatTs(record.to);
  return style.gray(`${head}not needed, it already had ${had} when the repair arrived`);
}

/**
 * When a result row needs the column header above it: first, again after anything else was
 * printed (`reset`), and the legend of the short replica labels once, before the first header
 * that uses them. The prompt's and `quartet run`'s tables share it.
 */
export class RowHeader {
  #shown = false;
  #legendShown = false;

  reset(): void {
    this.#shown = false;
  }

  /** The lines to print before a row laid out by `layout`: none when the header stands. */
  take(layout: RowLayout, style: ChalkInstance): string[] {
    if (this.#shown) return [];
    this.#shown = true;
    const lines: string[] = [];
    if (layout.compactReplicas && !this.#legendShown) {
      this.#legendShown = true;
      lines.push(describeReplicaLegend(style, layout.width));
    }
    lines.push(
      renderRow(
        layout.heads.map((name) => style.bold(name)),
        layout,
      ),
    );
    return lines;
  }
}
