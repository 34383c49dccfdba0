import type { RepairRecord } from '../records.js';
import type { FileResult, LineOutcome } from './types.js';

/** Shows a batch run: a row per line, repairs, a summary per file. */
export interface BatchReporter {
  fileStart(file: string): void;
  line(outcome: LineOutcome): void;
  repair(record: RepairRecord, file: string): void;
  fileEnd(result: FileResult): void;
  runEnd(results: readonly FileResult[]): void;
  /** Text for people; JSON output sends it to stderr. */
  notice(text: string): void;
}
