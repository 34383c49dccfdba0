// The original config.py: `name = value` lines whose values are Python literals.
import { configBounds } from './config-defaults.js';
import { showValue } from './config-errors.js';
import {
  createTokenReader,
  tokenizePython,
  type Token,
  type TokenReader,
} from './python-tokens.js';
import { formatAddress } from './servers.js';

type PythonValue =
  string | number | boolean | null | PythonValue[] | { [key: string]: PythonValue };

// A strict reader (never eval) for `servers = [...]` and `delays = {...}`; tuples become lists,
// (host, port) dict keys become "host:port".
export function parsePythonConfig(text: string): unknown {
  const reader = createTokenReader(tokenizePython(text));
  const settings: Record<string, PythonValue> = {};
  while (reader.peek().kind !== 'end') {
    const name = reader.next();
    if (name.kind !== 'name') reader.fail(name, 'a setting such as `servers = [...]`');
    if (Object.hasOwn(settings, name.text)) {
      reader.failWith(name, `\`${name.text}\` is set twice; keep one.`);
    }
    reader.expect('=', `\`=\` after \`${name.text}\``);
    setOwn(settings, name.text, parsePythonValue(reader, 0));
    if (reader.isPunct(';')) reader.next();
    else if (reader.peek().kind !== 'end' && reader.peek().line === reader.previous().line) {
      reader.fail(reader.peek(), 'a new line after the value');
    }
  }
  return settings;
}

// An own property even for "__proto__", which plain assignment would turn into the prototype.
function setOwn(target: Record<string, PythonValue>, key: string, value: PythonValue): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

const pythonConstants: Record<string, PythonValue> = { True: true, False: false, None: null };
const valueForms = 'a value (a number, a string, a list, a tuple or a dict)';

function parsePythonValue(reader: TokenReader, depth: number): PythonValue {
  const token = reader.next();
  // The settings are the first level, so a value at depth 0 that opens a list is the second.
  if (token.kind === 'punct' && '[({'.includes(token.text)) {
    checkNestingLevel(reader, token, depth + 2);
  }
  if (token.kind === 'string' || token.kind === 'number') return token.value;
  if (token.kind === 'name' && Object.hasOwn(pythonConstants, token.text)) {
    return pythonConstants[token.text] ?? null;
  }
  if (token.kind === 'name') reader.fail(token, `${valueForms}; config.py may not use other names`);
  const parseItem = () => parsePythonValue(reader, depth + 1);
  if (token.text === '[') return parseSequence(reader, ']', parseItem, 'a list item');
  if (token.text === '(') return parseTupleRest(reader, parseItem);
  if (token.text === '{') return parseDictRest(reader, depth);
  return reader.fail(token, valueForms);
}

function checkNestingLevel(reader: TokenReader, token: Token, level: number): void {
  const depthMax = configBounds.nestingDepthMax;
  if (level <= depthMax) return;
  reader.failWith(token, `Expected lists, tuples and dicts to nest at most ${depthMax} deep.`);
}

// After "(": "()" is an empty tuple, "(x)" is just x, "(x, ...)" is a tuple.
function parseTupleRest(reader: TokenReader, parseItem: () => PythonValue): PythonValue {
  if (reader.isPunct(')')) {
    reader.next();
    return [];
  }
  const first = parseItem();
  if (reader.isPunct(')')) {
    reader.next();
    return first;
  }
  reader.expect(',', '`,` or `)` after a tuple item');
  return [first, ...parseSequence(reader, ')', parseItem, 'a tuple item')];
}

function parseDictRest(reader: TokenReader, depth: number): PythonValue {
  const dict: Record<string, PythonValue> = {};
  const parseEntry = () => {
    const keyToken = reader.peek();
    const key = parsePythonKey(reader, depth + 1);
    if (Object.hasOwn(dict, key)) {
      reader.failWith(keyToken, `The dict key ${showValue(key)} appears twice; keep one.`);
    }
    reader.expect(':', '`:` after a dict key');
    setOwn(dict, key, parsePythonValue(reader, depth + 1));
  };
  parseSequence(reader, '}', parseEntry, 'a dict entry');
  return dict;
}

function parsePythonKey(reader: TokenReader, depth: number): string {
  const token = reader.peek();
  if (token.kind === 'string' || token.kind === 'number') return String(reader.next().value);
  if (!reader.isPunct('('))
    return reader.fail(token, 'a dict key: a string, a number or ("host", port)');
  const tuple = parsePythonValue(reader, depth);
  const [host, port] = Array.isArray(tuple) ? tuple : [];
  if (
    !Array.isArray(tuple) ||
    tuple.length !== 2 ||
    typeof host !== 'string' ||
    typeof port !== 'number'
  ) {
    return reader.failWith(
      token,
      `Expected a tuple dict key to be ("host", port), got ${showValue(tuple)}.`,
    );
  }
  return formatAddress({ host, port });
}

function parseSequence<T>(
  reader: TokenReader,
  close: string,
  parseItem: () => T,
  what: string,
): T[] {
  const items: T[] = [];
  while (!reader.isPunct(close)) {
    items.push(parseItem());
    if (reader.isPunct(',')) reader.next();
    else if (!reader.isPunct(close))
      reader.fail(reader.peek(), `\`,\` or \`${close}\` after ${what}`);
  }
  reader.next();
  return items;
}
