// The lexer of the command language: words, quoted strings, `=>`, a trailing `&`, and commas
// between assertions. Columns are 1-based; `end` is the column just past the token.

export type TokenKind = 'word' | 'string' | 'arrow' | 'amp' | 'comma';

export interface Token {
  kind: TokenKind;
  text: string;
  col: number;
  end: number;
}

/** A syntax error found while parsing one line; `parseLine` turns it into a `SyntaxProblem`. */
export class LineProblem extends Error {
  readonly col: number;

  constructor(col: number, message: string) {
    super(message);
    this.name = 'LineProblem';
    this.col = col;
  }
}

export function failAt(col: number, message: string): never {
  throw new LineProblem(col, message);
}

// Splits a line into tokens; a `#` at the start of a token ends the line, and after `=>`
// commas separate assertions.
export function tokenizeLine(source: string): Token[] {
  const lexer: Lexer = { source, tokens: [], afterArrow: false };
  let index = 0;
  while (index < source.length) {
    const char = source.charAt(index);
    if (isSpace(char)) {
      index += 1;
    } else if (char === '#') {
      break;
    } else if (source.startsWith('=>', index)) {
      if (lexer.afterArrow) {
        failAt(
          index + 1,
          'Only one `=>` per line; separate assertions with commas, e.g. `=> 3, stale 2`.',
        );
      }
      lexer.tokens.push(makeToken('arrow', '=>', index, index + 2));
      lexer.afterArrow = true;
      index += 2;
    } else if (lexer.afterArrow && char === ',') {
      lexer.tokens.push(makeToken('comma', ',', index, index + 1));
      index += 1;
    } else {
      index = char === '"' ? scanString(lexer, index) : scanWord(lexer, index);
    }
  }
  return lexer.tokens;
}

interface Lexer {
  source: string;
  tokens: Token[];
  afterArrow: boolean;
}

function scanWord(lexer: Lexer, start: number): number {
  const { source, tokens } = lexer;
  let index = start;
  while (!isBoundary(lexer, index)) {
    if (source.charAt(index) === '"') {
      failAt(
        index + 1,
        `Unexpected \`"\` inside \`${source.slice(start, index)}\`; put the whole value in double quotes and write an inner quote as \`\\"\`.`,
      );
    }
    index += 1;
  }
  const text = source.slice(start, index);
  if (text.endsWith('&')) {
    if (text.length > 1) tokens.push(makeToken('word', text.slice(0, -1), start, index - 1));
    tokens.push(makeToken('amp', '&', index - 1, index));
  } else {
    tokens.push(makeToken('word', text, start, index));
  }
  return index;
}

function scanString(lexer: Lexer, start: number): number {
  const { source } = lexer;
  let text = '';
  let index = start + 1;
  while (index < source.length) {
    const char = source.charAt(index);
    if (char === '"') return finishString(lexer, start, index + 1, text);
    if (char === '\\') {
      text += readEscape(source, index);
      index += 2;
    } else {
      text += char;
      index += 1;
    }
  }
  return failAt(start + 1, 'Unterminated string; close it with `"`.');
}

function readEscape(source: string, index: number): string {
  const next = source.charAt(index + 1);
  if (next === '"' || next === '\\') return next;
  const shown = next === '' ? '\\' : `\\${next}`;
  return failAt(
    index + 1,
    `Unknown escape \`${shown}\` in a quoted string; only \`\\"\` and \`\\\\\` are escapes.`,
  );
}

// After the closing quote comes a space, the end, `=>`, a comma (after `=>`) or a glued `&`.
function finishString(lexer: Lexer, start: number, end: number, text: string): number {
  lexer.tokens.push(makeToken('string', text, start, end));
  if (lexer.source.charAt(end) === '&' && isBoundary(lexer, end + 1)) {
    lexer.tokens.push(makeToken('amp', '&', end, end + 1));
    return end + 1;
  }
  if (!isBoundary(lexer, end)) {
    failAt(
      end + 1,
      'Expected a space after the closing quote; put the whole value inside the quotes.',
    );
  }
  return end;
}

function isBoundary(lexer: Lexer, index: number): boolean {
  const { source } = lexer;
  if (index >= source.length) return true;
  const char = source.charAt(index);
  return isSpace(char) || source.startsWith('=>', index) || (lexer.afterArrow && char === ',');
}

function isSpace(char: string): boolean {
  return /\s/.test(char);
}

function makeToken(kind: TokenKind, text: string, start: number, end: number): Token {
  return { kind, text, col: start + 1, end: end + 1 };
}
