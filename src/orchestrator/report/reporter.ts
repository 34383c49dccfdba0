import type { OutputRecord } from '../records.js';

/** Shows records: as tables for people, or as JSON lines for programs. */
export interface Reporter {
  record(record: OutputRecord): void;
  /** A line of text for people (startup, notices); JSON reporters send it to stderr. */
  notice(text: string): void;
}
