import type { RepairRecord } from '../records.js';
import type { BatchReporter } from './batch-reporter.js';
import type { FileResult, LineOutcome } from './types.js';

/**
 * JSON lines on stdout: a line per command (its record, plus `file`, `source` and
 * `assertions`), one per repair, one `type: "summary"` per file. Notices go to stderr.
 */
export class JsonOutput implements BatchReporter {
  readonly #out: NodeJS.WritableStream;
  readonly #err: NodeJS.WritableStream;

  constructor(out: NodeJS.WritableStream, err: NodeJS.WritableStream) {
    this.#out = out;
    this.#err = err;
  }

  fileStart(): void {}

  line(outcome: LineOutcome): void {
    const { file, parsed, record, assertions } = outcome;
    this.#write({ ...record, file, source: parsed.source, assertions });
  }

  repair(record: RepairRecord, file: string): void {
    this.#write({ ...record, file });
  }

  fileEnd(result: FileResult): void {
    this.#write(result.summary);
  }

  runEnd(): void {}

  notice(text: string): void {
    this.#err.write(`${text}\n`);
  }

  #write(value: unknown): void {
    this.#out.write(`${JSON.stringify(value)}\n`);
  }
}
