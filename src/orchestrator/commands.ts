import { faultKinds } from '../trace/trace-format.js';
import type { LevelName } from '../core/levels.js';
import type { ErrorCode } from '../core/errors.js';

/** One command, as typed at the prompt or written in a batch file. */
export type Command =
  | { kind: 'insert' | 'update'; key: string; value: string; level?: LevelName }
  | { kind: 'delete'; key: string; level?: LevelName }
  | { kind: 'get'; key: string; level?: LevelName }
  | { kind: 'use'; node: number }
  | { kind: 'status'; node?: number }
  | { kind: 'show-all' }
  | { kind: 'search'; key: string }
  | { kind: 'explain'; key: string; level?: LevelName }
  /** The last data operation (on `key`) drawn from the run's trace. */
  | { kind: 'trace'; key?: string }
  | { kind: 'help' }
  | { kind: 'quit' }
  /** Writes the session so far as a batch file; `force` overwrites an existing one. */
  | { kind: 'save'; path: string; force: boolean }
  // Faults, at the prompt and in batch files.
  | { kind: 'kill' | 'restart' | 'pause' | 'resume'; node: number }
  | { kind: 'partition'; groups: number[][] }
  | { kind: 'heal' }
  | { kind: 'delay'; to: number; from?: number; delayMs: number }
  | { kind: 'loss'; from: number; to: number; lossRate: number }
  | { kind: 'skew'; node: number; skewMs: number }
  // Anti-entropy: node N with its peers, or every node.
  | { kind: 'repair'; node?: number }
  // Flow, mostly for batch files.
  | { kind: 'sleep'; ms: number }
  | { kind: 'wait'; what: 'all' | 'repairs' };

/** The directives that inject faults (the trace format's fault kinds, one list). */
export { faultKinds };

export type FaultCommand = Extract<Command, { kind: (typeof faultKinds)[number] }>;

export function isFaultCommand(command: Command): command is FaultCommand {
  return (faultKinds as readonly string[]).includes(command.kind);
}

/** What a line asserts after `=>`; several may follow one another, separated by commas. */
export type Assertion =
  | { kind: 'value'; value: string }
  | { kind: 'missing' }
  | { kind: 'ok' }
  | { kind: 'error'; code?: ErrorCode }
  | { kind: 'stale'; node: number }
  | { kind: 'repaired'; node: number };

/** One parsed line. */
export interface ParsedLine {
  /** 1-based line number in its source. */
  line: number;
  /** The line as written, for messages and reports. */
  source: string;
  /** `@N` prefix: the node that coordinates this command only. */
  node?: number;
  command: Command;
  /** A trailing `&`: run without waiting; `wait` joins it. */
  background: boolean;
  assertions: Assertion[];
}

/** A syntax error at a place in a line; `col` is 1-based. */
export interface SyntaxProblem {
  line: number;
  col: number;
  message: string;
  source: string;
}
