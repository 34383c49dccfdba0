import type { ChalkInstance } from 'chalk';
import { describeCommandRecord } from '../report/command-tables.js';
import {
  describeAnswers,
  describeError,
  describeErrorBelow,
  describeErrorCode,
  describeRepair,
  RowHeader,
  describeReplicas,
  describeResult,
  renderRow,
} from '../report/op-cells.js';
import { layoutRow, type RowColumnKey, type RowLayout } from '../report/row-layout.js';
import { wrapWithIndent } from '../../terminal/wrap-text.js';
import { createStyle, formatLatency } from '../../terminal/style.js';
import type { CommandRecord, RepairRecord } from '../records.js';
import type { BatchReporter } from './batch-reporter.js';
import { describeCommand } from './describe.js';
import { printSummary } from './summary-table.js';
import type { FileResult, LineOutcome } from './types.js';

export interface TableOutputOptions {
  /** The columns output may take; undefined: full width (piped). */
  width?: number;
  replicationFactor?: number;
}

const below = '       ';
/** A table row per line with its verdict, repairs under the read that caused them, a summary. */
export class TableOutput implements BatchReporter {
  readonly #out: NodeJS.WritableStream;
  readonly #err: NodeJS.WritableStream;
  readonly #style: ChalkInstance;
  readonly #layout: RowLayout;
  readonly #header = new RowHeader();

  constructor(
    out: NodeJS.WriteStream,
    err: NodeJS.WritableStream,
    options: TableOutputOptions = {},
  ) {
    this.#out = out;
    this.#err = err;
    this.#style = createStyle(out);
    this.#layout = layoutRow({
      width: options.width,
      replicationFactor: options.replicationFactor ?? 3,
      batch: true,
    });
  }

  fileStart(file: string): void {
    this.#header.reset();
    this.#print(wrapWithIndent(this.#style.bold(`▶ ${file}`), this.#layout.width, '  '));
  }

  line(outcome: LineOutcome): void {
    const { record, parsed } = outcome;
    const style = this.#style;
    const layout = this.#layout;
    const width = layout.width;
    for (const line of this.#header.take(layout, style)) this.#print(line);
    const errorBelow = !record.ok && width !== undefined;
    const command = describeCommand(parsed);
    const cells: Record<RowColumnKey, string> = {
      line: String(parsed.line),
      node: `n${record.node}`,
      command:
        record.type === 'op' && layout.levelInCommand ? `${command} ${record.level}` : command,
      level: record.type === 'op' ? record.level : '',
      result: errorBelow
        ? describeErrorCode(record, style)
        : record.type === 'op'
          ? describeResult(record, style)
          : this.#commandResult(record),
      latency: formatLatency(record.latencyMs),
      answers: record.type === 'op' ? describeAnswers(record) : '',
      replicas: record.type === 'op' ? describeReplicas(record, style, layout.compactReplicas) : '',
      check: this.#check(outcome),
    };
    this.#print(
      renderRow(
        layout.columns.map((key) => cells[key]),
        layout,
      ),
    );
    if (errorBelow) this.#print(describeErrorBelow(record, style, width));
    if (layout.checkBelow && cells.check !== '') {
      this.#print(wrapWithIndent(`${below}${cells.check}`, width, `${below}  `));
    }
    if (record.type === 'command' && record.ok && hasTable(record)) {
      this.#print(describeCommandRecord(record, style, width));
      this.#header.reset();
    }
    for (const assertion of outcome.assertions) {
      if (assertion.ok) continue;
      const text = `${below}✘ line ${parsed.line}: \`${assertion.text}\`: ${assertion.message ?? 'failed'}`;
      this.#print(wrapWithIndent(style.red(text), width, `${below}  `));
    }
    if (outcome.unexpectedError !== undefined) {
      const text = `${below}✘ line ${parsed.line}: the command failed and the line does not assert \`=> error\``;
      this.#print(wrapWithIndent(style.red(text), width, `${below}  `));
    }
  }

  repair(record: RepairRecord): void {
    const label = record.line === undefined ? '' : `line ${record.line}: `;
    this.#print(describeRepair(record, this.#style, below, label, this.#layout.width));
  }

  fileEnd(result: FileResult): void {
    this.#print(printSummary(result.summary, this.#style, this.#layout.width));
  }

  runEnd(results: readonly FileResult[]): void {
    if (results.length < 2) return;
    const failed = results.filter((result) => !result.summary.ok).length;
    const text = `${results.length} files: ${results.length - failed} passed, ${failed} failed`;
    const painted = failed === 0 ? this.#style.green.bold(text) : this.#style.red.bold(text);
    this.#print(wrapWithIndent(painted, this.#layout.width, '  '));
  }

  notice(text: string): void {
    this.#err.write(`${text}\n`);
  }

  #commandResult(record: CommandRecord): string {
    const style = this.#style;
    if (!record.ok) return describeError(record, style);
    if (hasTable(record)) return style.gray('(below)');
    if (record.op === 'help') return style.gray('(below)');
    return style.gray(record.message ?? 'done');
  }

  #check(outcome: LineOutcome): string {
    const style = this.#style;
    const marks = outcome.assertions.map((a) =>
      a.ok ? style.green(`✔ ${a.text}`) : style.red(`✘ ${a.text}`),
    );
    if (outcome.unexpectedError !== undefined) marks.push(style.red('✘ failed'));
    return marks.join(' ');
  }

  #print(text: string): void {
    this.#out.write(`${text}\n`);
  }
}

function hasTable(record: CommandRecord): boolean {
  return (
    record.status !== undefined ||
    record.contents !== undefined ||
    record.search !== undefined ||
    record.antiEntropy !== undefined ||
    record.explain !== undefined ||
    record.op === 'help'
  );
}
