import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { describeCommandRecord } from '../report/command-tables.js';
import {
  createStyle,
  formatLatency,
  formatTs,
  formatValue,
  paintReplicaState,
} from '../report/style.js';
import type { CommandRecord, OpRecord, RepairRecord } from '../records.js';
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
            this.#result(record),
            formatLatency(record.latencyMs),
            answers(record),
            this.#replicas(record),
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
    const style = this.#style;
    const outcome = record.error
      ? style.red(`failed: ${record.error.message}`)
      : record.applied
        ? style.cyan('applied')
        : style.gray('not needed: it already had that version or a newer one');
    const from = record.line === undefined ? '' : `line ${record.line}: `;
    this.#print(
      style.cyan(
        `       ↳ ${from}read repair of key ${formatValue(record.key, 20)} on n${record.replica} (by n${record.node}): ${formatTs(record.from)} → ${formatTs(record.to)} `,
      ) + outcome,
    );
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

  #result(record: OpRecord): string {
    const style = this.#style;
    if (!record.ok)
      return style.red(`✘ ${record.error?.code ?? 'ERROR'}: ${record.error?.message ?? ''}`);
    if (record.op !== 'get') return style.green(record.op === 'delete' ? 'deleted' : 'ok');
    return record.found ? style.green(formatValue(record.value, 20)) : style.magenta('not found');
  }

  #commandResult(record: CommandRecord): string {
    const style = this.#style;
    if (!record.ok)
      return style.red(`✘ ${record.error?.code ?? 'ERROR'}: ${record.error?.message ?? ''}`);
    if (hasTable(record)) return style.gray('(below)');
    if (record.op === 'help') return style.gray('(below)');
    return style.gray(record.message ?? 'done');
  }

  #replicas(record: OpRecord): string {
    return record.replicas
      .map((replica) => {
        const created = replica.created === true ? this.#style.gray('+new') : '';
        return `n${replica.node} ${paintReplicaState(this.#style, replica.state)}${created}`;
      })
      .join(' ');
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

  #print(text: string): void {
    this.#out.write(`${text}\n`);
  }
}

function answers(record: OpRecord): string {
  return record.ok || record.acks > 0 ? `${record.acks}/${record.required}` : '-';
}

function hasTable(record: CommandRecord): boolean {
  return (
    record.status !== undefined ||
    record.contents !== undefined ||
    record.search !== undefined ||
    record.antiEntropy !== undefined ||
    record.op === 'help'
  );
}
