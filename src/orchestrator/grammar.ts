// The command grammar shared by the interactive prompt and batch files.
import type { Command, ParsedLine, SyntaxProblem } from './commands.js';
import { LineProblem, failAt, tokenizeLine, type Token } from './tokenize.js';
import { parseCommand } from './grammar-commands.js';
import { parseAssertions } from './grammar-assertions.js';
import { parseNodeId } from './grammar-values.js';

export { helpText } from './grammar-help.js';

export type LineResult =
  | { ok: true; parsed: ParsedLine }
  | { ok: false; problem: SyntaxProblem }
  | { ok: true; parsed: null };

export interface ScriptResult {
  lines: ParsedLine[];
  problems: SyntaxProblem[];
}

// Commands that `@N` may send to a chosen coordinator, and that `&` may run in the background.
const routedKinds: readonly Command['kind'][] = [
  'insert',
  'update',
  'delete',
  'get',
  'search',
  'show-all',
  'explain',
];
const backgroundKinds: readonly Command['kind'][] = ['insert', 'update', 'delete', 'get'];

/** Parses one line; blank and comment-only lines give `parsed: null`. Never throws on input. */
export function parseLine(source: string, line: number): LineResult {
  try {
    const parsed = parseTokens(tokenizeLine(source), source, line);
    return parsed === null ? { ok: true, parsed: null } : { ok: true, parsed };
  } catch (error) {
    if (!(error instanceof LineProblem)) throw error;
    return { ok: false, problem: { line, col: error.col, message: error.message, source } };
  }
}

/** Parses every line of a batch file and reports every syntax problem, not just the first. */
export function parseScript(text: string): ScriptResult {
  const result: ScriptResult = { lines: [], problems: [] };
  splitLines(text).forEach((source, index) => {
    const parsed = parseLine(source, index + 1);
    if (!parsed.ok) result.problems.push(parsed.problem);
    else if (parsed.parsed !== null) result.lines.push(parsed.parsed);
  });
  return result;
}

/** `file:line:col: message`, then the source line and a caret under the column. */
export function formatProblem(problem: SyntaxProblem, file: string): string {
  const before = problem.source.slice(0, Math.max(0, problem.col - 1));
  const padding = before.replace(/[^\t]/g, ' ').padEnd(problem.col - 1, ' ');
  return `${file}:${problem.line}:${problem.col}: ${problem.message}\n${problem.source}\n${padding}^`;
}

function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

function parseTokens(tokens: Token[], source: string, line: number): ParsedLine | null {
  if (tokens.length === 0) return null;
  const arrowIndex = tokens.findIndex((token) => token.kind === 'arrow');
  const arrow = arrowIndex === -1 ? undefined : tokens[arrowIndex];
  const head = arrowIndex === -1 ? tokens : tokens.slice(0, arrowIndex);
  const { words, amp } = takeBackground(head);
  const { node, prefix, rest } = takeNodePrefix(words);
  const [nameToken, ...args] = rest;
  if (nameToken === undefined) return failMissingCommand(prefix ?? amp ?? arrow);
  const command = parseCommand(nameToken, args);
  if (prefix !== undefined) checkKind(prefix, command, routedKinds, describePrefix(prefix));
  if (amp !== undefined) checkKind(amp, command, backgroundKinds, describeBackground());
  const assertions =
    arrow === undefined ? [] : parseAssertions(arrow, tokens.slice(arrowIndex + 1), command);
  const parsed: ParsedLine = { line, source, command, background: amp !== undefined, assertions };
  return node === undefined ? parsed : { ...parsed, node };
}

// A trailing `&` ends the command: it comes last, before any `=>`.
function takeBackground(head: Token[]): { words: Token[]; amp?: Token } {
  const ampIndex = head.findIndex((token) => token.kind === 'amp');
  const amp = head[ampIndex];
  if (amp === undefined) return { words: head };
  if (ampIndex !== head.length - 1) {
    failAt(
      amp.col,
      '`&` goes at the end of the command, before any `=>`, e.g. `get 5 one & => 3`; quote a value that has `&` in it.',
    );
  }
  return { words: head.slice(0, -1), amp };
}

function takeNodePrefix(words: Token[]): { node?: number; prefix?: Token; rest: Token[] } {
  const [first, ...rest] = words;
  if (first === undefined || first.kind !== 'word' || !first.text.startsWith('@')) {
    return { rest: words };
  }
  if (first.text === '@') failAt(first.col, 'Expected a node id after `@`, e.g. `@2 get 5`.');
  const idToken: Token = { ...first, text: first.text.slice(1), col: first.col + 1 };
  return { node: parseNodeId(idToken, '@2 get 5'), prefix: first, rest };
}

function failMissingCommand(token: Token | undefined): never {
  if (token?.kind === 'word') {
    return failAt(
      token.col,
      `Expected a command after \`${token.text}\`, e.g. \`${token.text} get 5\`.`,
    );
  }
  const example = token?.kind === 'amp' ? 'get 5 &' : 'get 5 => 3';
  return failAt(
    token?.col ?? 1,
    `Expected a command before \`${token?.text}\`, e.g. \`${example}\`.`,
  );
}

function checkKind(
  token: Token,
  command: Command,
  kinds: readonly Command['kind'][],
  describe: string,
): void {
  if (kinds.includes(command.kind)) return;
  failAt(token.col, `${describe}; \`${command.kind}\` does not take it, remove \`${token.text}\`.`);
}

function describePrefix(prefix: Token): string {
  return `\`${prefix.text}\` picks the coordinator of one insert, update, delete, get, search, show-all or explain`;
}

function describeBackground(): string {
  return '`&` runs insert, update, delete or get in the background';
}
