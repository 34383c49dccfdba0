import { parseLine } from './grammar.js';
import type { CommandRecord, OutputRecord } from './records.js';
import type { Session } from './session.js';

/** Where a prompt line was typed: at the terminal, or in the live page's command box. */
export type LineOrigin = 'terminal' | 'page';

export interface LineOutcome {
  /** The line's record; undefined for a blank line or a comment. */
  record?: OutputRecord;
  /** The line was `quit`: the prompt ends. */
  quit: boolean;
  /** The line ended in `&`: its record is the start; its result is emitted later. */
  background: boolean;
}

/**
 * Runs prompt lines through one Session, one line at a time whoever typed it: the terminal's
 * and the live page's lines are numbered in one sequence and never overlap (a background `&`
 * line returns at once, as at the prompt). A line that does not parse is shown through
 * `showProblem`, as the Session's records are.
 */
export class LineRunner {
  readonly #session: Session;
  readonly #showProblem: (record: CommandRecord) => void;
  #lineNo = 0;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(session: Session, showProblem: (record: CommandRecord) => void) {
    this.#session = session;
    this.#showProblem = showProblem;
  }

  get session(): Session {
    return this.#session;
  }

  /** Runs `source` after every line before it has returned. */
  run(source: string, origin: LineOrigin): Promise<LineOutcome> {
    const outcome = this.#tail.then(() => this.#runNow(source, origin));
    this.#tail = outcome.catch(() => {});
    return outcome;
  }

  async #runNow(source: string, origin: LineOrigin): Promise<LineOutcome> {
    const lineNo = ++this.#lineNo;
    const result = parseLine(source, lineNo);
    if (!result.ok) {
      const { col, message } = result.problem;
      this.#session.logUnparsed(source, `column ${col}: ${message}`);
      const record = this.#problem(lineNo, `column ${col}: ${message}`);
      return { record, quit: false, background: false };
    }
    if (result.parsed === null) return { quit: false, background: false };
    if (origin === 'page' && result.parsed.command.kind === 'quit') {
      const message = '`quit` ends the prompt: type it at the terminal (the page cannot stop it).';
      return { record: this.#problem(lineNo, message, 'quit'), quit: false, background: false };
    }
    const record = await this.#session.execute(result.parsed);
    const { background, command } = result.parsed;
    return { record, quit: command.kind === 'quit', background };
  }

  #problem(lineNo: number, message: string, op = 'parse'): CommandRecord {
    const record: CommandRecord = {
      type: 'command',
      seq: 0,
      line: lineNo,
      node: this.#session.currentNode,
      op,
      ok: false,
      latencyMs: 0,
      error: { code: 'BAD_COMMAND', message },
    };
    this.#showProblem(record);
    return record;
  }
}
