import Table from 'cli-table3';
import { measureDisplayWidth } from './display-width.js';
import { fitColumns, type ColumnNeed } from './fit-columns.js';
import { wrapText } from './wrap-text.js';

/** A cell: its text, or its text spread over several columns. */
export type TableCell = string | number | { content: string; colSpan: number };

export interface TableSpec {
  head: readonly string[];
  rows: readonly (readonly TableCell[])[];
  /** The terminal columns the table may take; undefined (piped output): as wide as it needs. */
  width: number | undefined;
  aligns?: readonly ('left' | 'right')[];
  /** A rule between body rows (cli-table3's default) or none. */
  rowRules?: boolean;
  /**
   * When the columns cannot fit even at their longest words, the table is split into several
   * tables one under the other, each repeating this many leading columns (cells spanning
   * columns are not split). 0 or undefined: never split.
   */
  repeatColumns?: number;
}

const padding = 2;
// A word longer than this may be broken when its column has to shrink.
const unbrokenWordMax = 16;
const noRowRules = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** A boxed table whose columns shrink, and whose cells wrap inside them, to fit `width`. */
export function renderTable(spec: TableSpec): string {
  const count = spec.head.length;
  const needs = measureColumns(spec.head, spec.rows, count);
  const groups = splitColumns(needs, spec.width, spec.repeatColumns ?? 0);
  if (groups.length > 1) {
    const pick = <T>(cells: readonly T[], group: number[]) => group.map((i) => cells[i]!);
    return groups
      .map((group) =>
        renderTable({
          ...spec,
          head: pick(spec.head, group),
          rows: spec.rows.map((row) => pick(row, group)),
          ...(spec.aligns === undefined ? {} : { aligns: pick(spec.aligns, group) }),
          repeatColumns: 0,
        }),
      )
      .join('\n');
  }
  const widths =
    spec.width === undefined
      ? needs.map((need) => need.natural)
      : fitColumns(needs, spec.width - (count + 1));
  const table = new Table({
    head: spec.head.map((text, i) => wrapCell(text, widths[i]!)),
    colWidths: widths,
    ...(spec.aligns === undefined ? {} : { colAligns: [...spec.aligns] }),
    style: { head: [], border: [] },
    ...(spec.rowRules === false ? { chars: noRowRules } : {}),
  });
  for (const row of spec.rows) {
    let column = 0;
    table.push(
      row.map((cell) => {
        const span = typeof cell === 'object' ? cell.colSpan : 1;
        const spanned = widths.slice(column, column + span);
        column += span;
        const width = spanned.reduce((total, w) => total + w, 0) + span - 1;
        if (typeof cell !== 'object') return wrapCell(String(cell), width);
        return { content: wrapCell(cell.content, width), colSpan: span };
      }),
    );
  }
  return table.toString();
}

// Column indexes of each table a split makes: the repeated ones, then as many as fit.
function splitColumns(needs: ColumnNeed[], width: number | undefined, repeat: number): number[][] {
  const all = needs.map((_, i) => i);
  const fits = (group: number[]) =>
    group.reduce((total, i) => total + needs[i]!.min, 0) + group.length + 1 <= (width ?? 0);
  if (width === undefined || repeat <= 0 || repeat >= needs.length || fits(all)) return [all];
  const keys = all.slice(0, repeat);
  const groups: number[][] = [];
  let group = [...keys];
  for (const i of all.slice(repeat)) {
    if (group.length > repeat && !fits([...group, i])) {
      groups.push(group);
      group = [...keys];
    }
    group.push(i);
  }
  groups.push(group);
  return groups;
}

/** A cell's text wrapped to the inside of a column `width` wide (padding taken off). */
export function wrapCell(text: string, width: number): string {
  if (measureDisplayWidth(text) <= width - padding) return text;
  return wrapText(text, width - padding).join('\n');
}

/** What each column needs: its widest cell, and its longest word (cells spanning are left out). */
export function measureColumns(
  head: readonly string[],
  rows: readonly (readonly TableCell[])[],
  count: number,
): ColumnNeed[] {
  const needs = Array.from({ length: count }, () => ({
    natural: padding,
    body: padding,
    min: padding,
  }));
  const measure = (cell: TableCell, column: number, isHead = false) => {
    if (typeof cell === 'object' && cell.colSpan > 1) return;
    const text = typeof cell === 'object' ? cell.content : String(cell);
    const need = needs[column];
    if (need === undefined) return;
    const word = longestWord(text) + padding;
    need.natural = Math.max(need.natural, measureDisplayWidth(text) + padding);
    need.body = Math.max(need.body, isHead ? word : measureDisplayWidth(text) + padding);
    need.min = Math.max(need.min, Math.min(word, unbrokenWordMax + padding));
  };
  head.forEach((text, column) => measure(text, column, true));
  for (const row of rows) {
    let column = 0;
    for (const cell of row) {
      measure(cell, column);
      column += typeof cell === 'object' ? cell.colSpan : 1;
    }
  }
  return needs;
}

function longestWord(text: string): number {
  return Math.max(0, ...text.split(/[\s]+/).map((word) => measureDisplayWidth(word)));
}
