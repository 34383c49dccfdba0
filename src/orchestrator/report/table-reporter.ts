import type { ChalkInstance } from 'chalk';
import { wrapWithIndent } from '../../terminal/wrap-text.js';
import type { OpRecord, OutputRecord } from '../records.js';
import { describeCommandRecord } from './command-tables.js';
import type { Reporter } from './reporter.js';
import {
  describeAnswers,
  describeErrorBelow,
  describeErrorCode,
  describeRepair,
  RowHeader,
  describeReplicas,
  describeResult,
  renderRow,
} from './op-cells.js';
import { layoutRow, type RowColumnKey, type RowLayout } from './row-layout.js';
import { createStyle, formatLatency, formatValue } from '../../terminal/style.js';

export interface TableReporterOptions {
  /** The columns output may take, asked before each record; undefined: full width (piped). */
  width?: () => number | undefined;
  replicationFactor?: number;
}

/** A table row per result, under one header; repairs and other commands as lines between. */
export class TableReporter implements Reporter {
  readonly #out: { write(text: string): void; isTTY?: boolean };
  readonly #style: ChalkInstance;
  readonly #width: () => number | undefined;
  readonly #replicationFactor: number;
  #layout: RowLayout | undefined;
  readonly #header = new RowHeader();

  constructor(
    out: { write(text: string): void; isTTY?: boolean } = process.stdout,
    options: TableReporterOptions = {},
  ) {
    this.#out = out;
    this.#style = createStyle(out);
    this.#width = options.width ?? (() => undefined);
    this.#replicationFactor = options.replicationFactor ?? 3;
  }

  record(record: OutputRecord): void {
    const width = this.#width();
    if (record.type === 'op') this.#printOp(record, width);
    else if (record.type === 'repair')
      this.#print(describeRepair(record, this.#style, '   ', '', width));
    else {
      this.#header.reset();
      this.#print(describeCommandRecord(record, this.#style, width));
    }
  }

  notice(text: string): void {
    this.#print(wrapWithIndent(text, this.#width(), '  '));
  }

  #printOp(record: OpRecord, width: number | undefined): void {
    const style = this.#style;
    const layout = this.#layoutFor(width);
    for (const line of this.#header.take(layout, style)) this.#print(line);
    const errorBelow = !record.ok && width !== undefined;
    const write = record.op === 'insert' || record.op === 'update';
    const command = [
      record.op,
      formatValue(record.key, 12),
      ...(write ? [formatValue(record.value, 12)] : []),
      ...(layout.levelInCommand ? [record.level] : []),
    ].join(' ');
    const cells: Record<RowColumnKey, string> = {
      line: '',
      node: `n${record.node}`,
      command,
      level: record.level,
      result: errorBelow ? describeErrorCode(record, style) : describeResult(record, style),
      latency: formatLatency(record.latencyMs),
      answers: describeAnswers(record),
      replicas: describeReplicas(record, style, layout.compactReplicas),
      check: '',
    };
    this.#print(
      renderRow(
        layout.columns.map((key) => cells[key]),
        layout,
      ),
    );
    if (errorBelow) this.#print(describeErrorBelow(record, style, width));
  }

  // A new width (the terminal was resized) gets a new layout and the header again.
  #layoutFor(width: number | undefined): RowLayout {
    if (this.#layout === undefined || this.#layout.width !== width) {
      this.#layout = layoutRow({ width, replicationFactor: this.#replicationFactor, batch: false });
      this.#header.reset();
    }
    return this.#layout;
  }

  #print(text: string): void {
    this.#out.write(`${text}\n`);
  }
}
