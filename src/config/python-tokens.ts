// The tokens of a config.py (names, strings, numbers, punctuation) and a reader over them.
import { badConfig } from './config-errors.js';

export interface Token {
  kind: 'name' | 'string' | 'number' | 'punct' | 'end';
  text: string;
  value: string | number;
  line: number;
  column: number;
}

const numberPattern = /[+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?/y;
const namePattern = /[A-Za-z_]\w*/y;
const escapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

export interface TokenReader {
  peek(): Token;
  next(): Token;
  previous(): Token;
  isPunct(text: string): boolean;
  expect(text: string, expected: string): Token;
  fail(token: Token, expected: string): never;
  failWith(token: Token, message: string): never;
}

export function createTokenReader(tokens: Token[]): TokenReader {
  let position = 0;
  const at = (index: number) => tokens[Math.min(index, tokens.length - 1)] as Token;
  const reader: TokenReader = {
    peek: () => at(position),
    next: () => at(position < tokens.length - 1 ? position++ : position),
    previous: () => at(Math.max(0, position - 1)),
    isPunct: (text) => reader.peek().kind === 'punct' && reader.peek().text === text,
    expect: (text, expected) =>
      reader.isPunct(text) ? reader.next() : reader.fail(reader.peek(), expected),
    fail: (token, expected) =>
      reader.failWith(token, `Expected ${expected}, got ${describeToken(token)}.`),
    failWith: (token, message) => {
      throw badConfig(`line ${token.line}, column ${token.column}: ${message}`);
    },
  };
  return reader;
}

export function tokenizePython(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let index = 0;
  const fail = (message: string): never => {
    throw badConfig(`line ${line}, column ${index - lineStart + 1}: ${message}`);
  };
  const push = (kind: Token['kind'], tokenText: string, value: string | number, start: number) =>
    tokens.push({ kind, text: tokenText, value, line, column: start - lineStart + 1 });

  while (index < text.length) {
    const char = text[index] as string;
    if (char === '\n') {
      line += 1;
      lineStart = index + 1;
      index += 1;
    } else if (char === ' ' || char === '\t' || char === '\r' || char === '\f') {
      index += 1;
    } else if (char === '#') {
      while (index < text.length && text[index] !== '\n') index += 1;
    } else if (char === '"' || char === "'") {
      const start = index;
      let value = '';
      index += 1;
      while (text[index] !== char) {
        const current = text[index];
        if (current === undefined || current === '\n') {
          index = start;
          fail(`Expected the string that starts here to end with ${char} on the same line.`);
        }
        if (current === '\\') {
          const escaped = text[index + 1] ?? '';
          // A backslash at the end of a line continues the string on the next, as in Python.
          const replacement = escaped === '\n' ? '' : escapes[escaped];
          if (replacement === undefined) {
            const shown = /^[\x20-\x7e]$/.test(escaped) ? escaped : JSON.stringify(escaped);
            fail(`Expected a known escape (\\n, \\t, \\\\, \\' or \\"), got \\${shown}.`);
          }
          value += replacement;
          index += 2;
        } else {
          value += current;
          index += 1;
        }
      }
      index += 1;
      push('string', text.slice(start, index), value, start);
    } else if ('[](){},:=;'.includes(char)) {
      push('punct', char, char, index);
      index += 1;
    } else {
      numberPattern.lastIndex = index;
      namePattern.lastIndex = index;
      const number = numberPattern.exec(text)?.[0];
      const name = number === undefined ? namePattern.exec(text)?.[0] : undefined;
      if (number !== undefined) {
        const value = Number(number.replace(/_/g, ''));
        if (!Number.isFinite(value)) fail(`Expected a number, got ${number}.`);
        push('number', number, value, index);
        index += number.length;
      } else if (name !== undefined) {
        push('name', name, name, index);
        index += name.length;
      } else {
        fail(
          `Expected a name, a number, a string or one of [ ] ( ) { } , : =, got ${JSON.stringify(char)}.`,
        );
      }
    }
  }
  tokens.push({ kind: 'end', text: '', value: '', line, column: index - lineStart + 1 });
  return tokens;
}

function describeToken(token: Token): string {
  if (token.kind === 'end') return 'the end of the file';
  if (token.kind === 'string') return JSON.stringify(token.value);
  return `\`${token.text}\``;
}
