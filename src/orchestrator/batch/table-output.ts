import type { ChalkInstance } from 'chalk';
import { describeCommandRecord } from '../report/command-tables.js';
import {
  describeAnswers,
  describeError,
  describeRepair,
  describeReplicas,
  describeResult,
  renderRow,
} from '../report/op-cells.js';
import { createStyle, formatLatency } from '../report/style.js';
import type { CommandRecord, RepairRecord } from '../records.js';
import type { BatchReporter } from './batch-reporter.js';
import { describeCommand } from './describe.js';
import { printSummary } from './summary-table.js';
import type { FileResult, LineOutcome } from './types.js';

const columns = [
  'line',
  'node',
  'command',
  'level',
  'result',
  'latency',
  'answers',
  'replicas',
  'check',
];
const colWidths = [6, 6, 18, 8, 22, 10, 9, 40, 22];

/** A table row per line with its verdict, repairs under the read that caused them, a summary. */
export class TableOutput implements BatchReporter {
  readonly #out: NodeJS.WritableStream;
  readonly #err: NodeJS.WritableStream;
  readonly #style: ChalkInstance;
  #headerShown = false;

  constructor(out: NodeJS.WriteStream, err: NodeJS.WritableStream) {
    this.#out = out;
    this.#err = err;
    this.#style = createStyle(out);
  }

  fileStart(file: string): void {
    this.#headerShown = false;
    this.#print(this.#style.bold(`▶ ${file}`));
  }

  line(outcome: LineOutcome): void {
    const { record, parsed } = outcome;
    const style = this.#style;
    if (!this.#headerShown) {
      this.#headerShown = true;
      this.#print(this.#row(columns.map((name) => style.bold(name))));
    }
    const base = [String(parsed.line), `n${record.node}`, describeCommand(parsed)];
    const check = this.#check(outcome);
    const cells =
      record.type === 'op'
        ? [
            ...base,
            record.level,
            describeResult(record, this.#style),
            formatLatency(record.latencyMs),
            describeAnswers(record),
            describeReplicas(record, this.#style),
            check,
          ]
        : [
            ...base,
            '',
            this.#commandResult(record),
            formatLatency(record.latencyMs),
            '',
            '',
            check,
          ];
    this.#print(this.#row(cells));
    if (record.type === 'command' && record.ok && hasTable(record)) {
      this.#print(describeCommandRecord(record, style));
      this.#headerShown = false;
    }
    for (const assertion of outcome.assertions) {
      if (assertion.ok) continue;
      this.#print(
        style.red(
          `       ✘ line ${parsed.line}: \`${assertion.text}\`: ${assertion.message ?? 'failed'}`,
        ),
      );
    }
    if (outcome.unexpectedError !== undefined) {
      this.#print(
        style.red(
          `       ✘ line ${parsed.line}: the command failed and the line does not assert \`=> error\``,
        ),
      );
    }
  }

  repair(record: RepairRecord): void {
    const label = record.line === undefined ? '' : `line ${record.line}: `;
    this.#print(describeRepair(record, this.#style, '       ', label));
  }

  fileEnd(result: FileResult): void {
    this.#print(printSummary(result.summary, this.#style));
  }

  runEnd(results: readonly FileResult[]): void {
    if (results.length < 2) return;
    const failed = results.filter((result) => !result.summary.ok).length;
    const text = `${results.length} files: ${results.length - failed} passed, ${failed} failed`;
    this.#print(failed === 0 ? this.#style.green.bold(text) : this.#style.red.bold(text));
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

  #row(cells: string[]): string {
    return renderRow(cells, colWidths);
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
