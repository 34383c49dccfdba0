// The session log: every line a Session ran, in order, with what it returned, for `save`.
import type { ErrorCode } from '../core/errors.js';
import type { ReplicaState } from '../core/messages.js';
import type { ParsedLine } from './commands.js';
import type { OpRecord, CommandRecord, RepairRecord } from './records.js';

/** Lines the log keeps; later lines run but are not logged, and `save` says how many. */
export const sessionLogLinesMax = 10_000;
/** Characters of sources and values read the log keeps, the same way. */
export const sessionLogCharsMax = 16 * 1024 * 1024;

/** What a logged line returned: only what `save` writes down, not the whole record. */
export interface LoggedOutcome {
  ok: boolean;
  /** The node that ran the line (the coordinator of a data command). */
  node: number;
  errorCode?: ErrorCode;
  errorMessage?: string;
  /** Data commands: what was read, and each replica's answer when the reply went out. */
  found?: boolean;
  value?: string | null;
  replicas?: { node: number; state: ReplicaState }[];
}

export interface LoggedRepair {
  replica: number;
  applied: boolean;
}

export type LogEntry =
  | {
      kind: 'ran';
      seq: number;
      parsed: ParsedLine;
      startedMs: number;
      endedMs?: number;
      outcome?: LoggedOutcome;
      /** Read repairs this line's read caused, as they were reported. */
      repairs: LoggedRepair[];
    }
  | { kind: 'unparsed'; source: string; message: string; startedMs: number };

export interface LogSnapshot {
  entries: readonly LogEntry[];
  /** The node lines went to before any `use N`. */
  firstNode: number;
  /** Lines that ran past the bounds and are not in the log. */
  dropped: number;
}

type RanEntry = Extract<LogEntry, { kind: 'ran' }>;

export class SessionLog {
  readonly #entries: LogEntry[] = [];
  readonly #bySeq = new Map<number, RanEntry>();
  readonly #firstNode: number;
  readonly #nowMs: () => number;
  #chars = 0;
  #dropped = 0;

  constructor(firstNode: number, nowMs: () => number = () => performance.now()) {
    this.#firstNode = firstNode;
    this.#nowMs = nowMs;
  }

  /** A line the session starts running. */
  begin(seq: number, parsed: ParsedLine): void {
    const entry: RanEntry = {
      kind: 'ran',
      seq,
      parsed,
      startedMs: this.#nowMs(),
      repairs: [],
    };
    if (!this.#admit(parsed.source.length)) return;
    this.#entries.push(entry);
    this.#bySeq.set(seq, entry);
  }

  /** A line that did not parse; `save` keeps it as a comment. */
  addUnparsed(source: string, message: string): void {
    if (!this.#admit(source.length + message.length)) return;
    this.#entries.push({ kind: 'unparsed', source, message, startedMs: this.#nowMs() });
  }

  /** The record a line returned. */
  complete(record: OpRecord | CommandRecord): void {
    const entry = this.#bySeq.get(record.seq);
    if (entry === undefined) return;
    entry.endedMs = this.#nowMs();
    entry.outcome = toOutcome(record);
    // A value read counts against the bound too; past it the outcome is kept, the value not.
    if (record.type === 'op' && record.value !== null && !this.#charge(record.value.length)) {
      delete entry.outcome.value;
    }
  }

  addRepair(record: RepairRecord): void {
    this.#bySeq.get(record.seq)?.repairs.push({ replica: record.replica, applied: record.applied });
  }

  snapshot(): LogSnapshot {
    return { entries: this.#entries, firstNode: this.#firstNode, dropped: this.#dropped };
  }

  #admit(chars: number): boolean {
    if (this.#dropped > 0 || this.#entries.length >= sessionLogLinesMax || !this.#charge(chars)) {
      this.#dropped += 1;
      return false;
    }
    return true;
  }

  #charge(chars: number): boolean {
    if (this.#chars + chars > sessionLogCharsMax) return false;
    this.#chars += chars;
    return true;
  }
}

function toOutcome(record: OpRecord | CommandRecord): LoggedOutcome {
  const outcome: LoggedOutcome = { ok: record.ok, node: record.node };
  if (record.error !== undefined) {
    outcome.errorCode = record.error.code;
    outcome.errorMessage = record.error.message;
  }
  if (record.type === 'op') {
    outcome.found = record.found;
    outcome.value = record.value;
    outcome.replicas = record.replicas.map((r) => ({ node: r.node, state: r.state }));
  }
  return outcome;
}
