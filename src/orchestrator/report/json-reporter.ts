import type { OutputRecord } from '../records.js';
import type { Reporter } from './reporter.js';

/** One JSON object per line on stdout; notices for people go to stderr. */
export class JsonReporter implements Reporter {
  readonly #out: { write(text: string): void };
  readonly #err: NodeJS.WritableStream;

  constructor(
    out: { write(text: string): void } = process.stdout,
    err: NodeJS.WritableStream = process.stderr,
  ) {
    this.#out = out;
    this.#err = err;
  }

  record(record: OutputRecord): void {
    this.#out.write(`${JSON.stringify(record)}\n`);
  }

  notice(text: string): void {
    this.#err.write(`${text}\n`);
  }
}
