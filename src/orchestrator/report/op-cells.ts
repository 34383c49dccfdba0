import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { OpRecord, RepairRecord } from '../records.js';
import { formatTs, formatValue, paintReplicaState } from './style.js';

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

/** One borderless row with fixed column widths, so rows printed one by one line up. */
export function renderRow(cells: string[], colWidths: number[]): string {
  const table = new Table({
    chars: rowChars,
    colWidths,
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
  });
  table.push(cells);
  return table.toString();
}

export function describeError(
  record: { error?: { code: string; message: string } },
  style: ChalkInstance,
): string {
  return style.red(`✘ ${record.error?.code ?? 'ERROR'}: ${record.error?.message ?? ''}`);
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

export function describeReplicas(record: OpRecord, style: ChalkInstance): string {
  return record.replicas
    .map((replica) => {
      const created = replica.created === true ? style.gray('+new') : '';
      return `n${replica.node} ${paintReplicaState(style, replica.state)}${created}`;
    })
    .join('  ');
}

/** A read repair's outcome as a line: which replica, from which version to which. */
export function describeRepair(
  record: RepairRecord,
  style: ChalkInstance,
  indent: string,
  label = '',
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
