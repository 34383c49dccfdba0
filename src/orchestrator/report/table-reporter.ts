import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { OpRecord, OutputRecord, RepairRecord } from '../records.js';
import { describeCommandRecord } from './command-tables.js';
import type { Reporter } from './reporter.js';
import { createStyle, formatLatency, formatTs, formatValue, paintReplicaState } from './style.js';

const columns = ['node', 'command', 'level', 'result', 'latency', 'answers', 'replicas'] as const;
const colWidths = [6, 22, 8, 24, 10, 9, 40];

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

/** A table row per result, under one header; repairs and other commands as lines between. */
export class TableReporter implements Reporter {
  readonly #out: { write(text: string): void; isTTY?: boolean };
  readonly #style: ChalkInstance;
  #headerShown = false;

  constructor(out: { write(text: string): void; isTTY?: boolean } = process.stdout) {
    this.#out = out;
    this.#style = createStyle(out);
  }

  record(record: OutputRecord): void {
    if (record.type === 'op') this.#printOp(record);
    else if (record.type === 'repair') this.#print(this.#repairLine(record));
    else {
      this.#headerShown = false;
      this.#print(describeCommandRecord(record, this.#style));
    }
  }

  notice(text: string): void {
    this.#print(text);
  }

  #printOp(record: OpRecord): void {
    const style = this.#style;
    if (!this.#headerShown) {
      this.#headerShown = true;
      this.#print(this.#row(columns.map((name) => style.bold(name))));
    }
    const command = `${record.op} ${formatValue(record.key, 12)}${record.op === 'insert' || record.op === 'update' ? ` ${formatValue(record.value, 12)}` : ''}`;
    this.#print(
      this.#row([
        `n${record.node}`,
        command,
        record.level,
        this.#result(record),
        formatLatency(record.latencyMs),
        record.ok || record.acks > 0 ? `${record.acks}/${record.required}` : '-',
        record.replicas
          .map((replica) => {
            const created = replica.created === true ? style.gray('+new') : '';
            return `n${replica.node} ${paintReplicaState(style, replica.state)}${created}`;
          })
          .join('  '),
      ]),
    );
  }

  #result(record: OpRecord): string {
    const style = this.#style;
    if (!record.ok)
      return style.red(`✘ ${record.error?.code ?? 'ERROR'}: ${record.error?.message ?? ''}`);
    if (record.op === 'get') {
      const stale = record.replicas.some((r) => r.state === 'stale' || r.state === 'missing');
      const shown = record.found
        ? style.green(formatValue(record.value, 20))
        : style.magenta('not found');
      return stale ? `${shown} ${style.yellow('(stale seen)')}` : shown;
    }
    return style.green(record.op === 'delete' ? 'deleted' : 'ok');
  }

  #repairLine(record: RepairRecord): string {
    const style = this.#style;
    const head = `   ↳ read repair of key ${formatValue(record.key, 20)} on n${record.replica} (by n${record.node}): `;
    if (record.error !== undefined) return style.red(`${head}failed: ${record.error.message}`);
    if (record.applied)
      return style.cyan(`${head}${formatTs(record.from)} → ${formatTs(record.to)} applied`);
    // Not applied: the replica had the version (or a newer one) by the time the repair came.
    const had =
      record.from !== undefined && formatTs(record.from) !== formatTs(record.to)
        ? `a newer ${formatTs(record.from)}`
        : formatTs(record.to);
    return style.gray(`${head}not needed, it already had ${had} when the repair arrived`);
  }

  #row(cells: string[]): string {
    const table = new Table({
      chars: rowChars,
      colWidths,
      wordWrap: true,
      style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
    });
    table.push(cells);
    return table.toString();
  }

  #print(text: string): void {
    this.#out.write(`${text}\n`);
  }
}
