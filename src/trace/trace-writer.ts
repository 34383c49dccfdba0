import { createWriteStream, type WriteStream } from 'node:fs';
import { formatTraceLine, type TraceEvent, type TraceMeta } from './trace-format.js';

/** Appends a trace to a file as JSON lines: the meta line at once, then events as they come. */
export class TraceWriter {
  readonly path: string;
  readonly #stream: WriteStream;
  #closed: Promise<void> | undefined;

  constructor(path: string, meta: TraceMeta) {
    this.path = path;
    this.#stream = createWriteStream(path, { flags: 'w' });
    this.#stream.write(`${formatTraceLine(meta)}\n`);
  }

  append(events: readonly TraceEvent[]): void {
    if (this.#closed !== undefined) throw new Error(`Trace ${this.path} is already closed.`);
    let text = '';
    for (const event of events) text += `${formatTraceLine(event)}\n`;
    this.#stream.write(text);
  }

  close(): Promise<void> {
    this.#closed ??= new Promise((resolve, reject) => {
      this.#stream.once('error', reject);
      this.#stream.end(() => resolve());
    });
    return this.#closed;
  }
}
