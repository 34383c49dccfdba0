import type { ErrorRecord } from '../../core/errors.js';
import type { ParsedLine } from '../commands.js';
import type { CommandRecord, OpRecord, RepairRecord } from '../records.js';

/** One assertion after `=>`, checked. */
export interface AssertionResult {
  /** The assertion as written, e.g. `stale 2`. */
  text: string;
  ok: boolean;
  /** Why it failed (or, for deferred ones, what settled it). */
  message?: string;
}

/** One line of a batch file, run: its record and the verdicts on what it asserted. */
export interface LineOutcome {
  file: string;
  parsed: ParsedLine;
  record: OpRecord | CommandRecord;
  assertions: AssertionResult[];
  /** The command failed and the line asserted nothing about it: a failure of the file. */
  unexpectedError?: ErrorRecord;
}

/** What happened at one consistency level in one file. */
export interface LevelSummary {
  level: string;
  operations: number;
  succeeded: number;
  failed: number;
  /** Reads in which some replica answered stale or missing (at once, or late: a repair was sent). */
  staleReads: number;
  repairsSent: number;
  repairsApplied: number;
  latencyMsP50: number | null;
  latencyMsP99: number | null;
}

/** The per-file summary; also the `type: "summary"` JSON line. */
export interface FileSummary {
  type: 'summary';
  file: string;
  ok: boolean;
  durationMs: number;
  levels: LevelSummary[];
  total: LevelSummary;
  /** Messages the nodes sent each other while the file ran (from their `stats` counters). */
  messagesSent: number;
  messagesDropped: number;
  /** messagesSent divided by the data operations; null when the file had none. */
  messagesPerOp: number | null;
  assertions: { passed: number; failed: number };
  /** Commands that failed on lines that asserted nothing. */
  unexpectedErrors: number;
}

export interface FileResult {
  file: string;
  lines: LineOutcome[];
  repairs: RepairRecord[];
  summary: FileSummary;
}
