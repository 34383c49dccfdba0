import type { ChalkInstance } from 'chalk';
import type { OpRecord, OutputRecord } from '../records.js';
import { describeCommandRecord } from './command-tables.js';
import type { Reporter } from './reporter.js';
import {
  describeAnswers,
  describeRepair,
  describeReplicas,
  describeResult,
  renderRow,
} from './op-cells.js';
import { createStyle, formatLatency, formatValue } from './style.js';

const columns = ['node', 'command', 'level', 'result', 'latency', 'answers', 'replicas'] as const;
const colWidths = [6, 22, 8, 24, 10, 9, 40];

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
    else if (record.type === 'repair') this.#print(describeRepair(record, this.#style, '   '));
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
      this.#print(
        renderRow(
          columns.map((name) => style.bold(name)),
          colWidths,
        ),
      );
    }
    const command = `${record.op} ${formatValue(record.key, 12)}${record.op === 'insert' || record.op === 'update' ? ` ${formatValue(record.value, 12)}` : ''}`;
    this.#print(
      renderRow(
        [
          `n${record.node}`,
          command,
          record.level,
          describeResult(record, style),
          formatLatency(record.latencyMs),
          describeAnswers(record),
          describeReplicas(record, style),
        ],
        colWidths,
      ),
    );
  }

  #print(text: string): void {
    this.#out.write(`${text}\n`);
  }
}
