// The assertions after `=>`: a comma-separated list checked when the command completes.
import { errorCodes, isErrorCode } from '../core/errors.js';
import type { Assertion, Command } from './commands.js';
import { failAt, type Token } from './tokenize.js';
import { parseNodeId, suggestClosest } from './grammar-values.js';

interface Item {
  /** The `=>` or `,` before the item. */
  separator: Token;
  tokens: Token[];
}

export function parseAssertions(arrow: Token, tokens: Token[], command: Command): Assertion[] {
  return splitItems(arrow, tokens).map((item) => parseAssertion(item, command));
}

function splitItems(arrow: Token, tokens: Token[]): Item[] {
  const items: Item[] = [{ separator: arrow, tokens: [] }];
  for (const token of tokens) {
    if (token.kind === 'amp') {
      failAt(
        token.col,
        '`&` goes before `=>`, e.g. `get 5 & => 3`; to assert a value with `&` in it, quote the value.',
      );
    }
    if (token.kind === 'comma') items.push({ separator: token, tokens: [] });
    else items.at(-1)?.tokens.push(token);
  }
  const empty = items.find((item) => item.tokens.length === 0);
  if (empty !== undefined) {
    failAt(
      empty.separator.col,
      `Expected an assertion after \`${empty.separator.text}\`, e.g. \`=> 3\`, \`=> missing\` or \`=> ok\`.`,
    );
  }
  return items;
}

function parseAssertion(item: Item, command: Command): Assertion {
  const [first, ...rest] = item.tokens;
  if (first === undefined) return failAt(item.separator.end, 'Expected an assertion.');
  if (first.kind === 'string') {
    requireGet(first, command);
    rejectExtra(first, rest);
    return { kind: 'value', value: first.text };
  }
  const keyword = first.text.toLowerCase();
  switch (keyword) {
    case 'ok':
      rejectExtra(first, rest);
      return { kind: 'ok' };
    case 'missing':
      requireGet(first, command);
      rejectExtra(first, rest);
      return { kind: 'missing' };
    case 'error':
      return parseErrorAssertion(first, rest);
    case 'stale':
    case 'repaired':
      requireGet(first, command);
      return { kind: keyword, node: parseReplica(first, rest) };
    default:
      requireGet(first, command);
      rejectExtra(first, rest);
      return { kind: 'value', value: first.text };
  }
}

function parseErrorAssertion(first: Token, rest: Token[]): Assertion {
  const [codeToken, ...extra] = rest;
  if (codeToken === undefined) return { kind: 'error' };
  rejectExtra(codeToken, extra);
  const code = codeToken.text.toUpperCase();
  if (isErrorCode(code)) return { kind: 'error', code };
  const codes = Object.keys(errorCodes);
  const suggestion = suggestClosest(codeToken.text, codes);
  const hint =
    suggestion === undefined ? 'use one of' : `did you mean \`${suggestion}\`? Use one of`;
  return failAt(
    codeToken.col,
    `Unknown error code \`${codeToken.text}\` after \`${first.text}\`; ${hint} ${codes.join(', ')}.`,
  );
}

function parseReplica(first: Token, rest: Token[]): number {
  const example = `get 5 all => 3, ${first.text} 2`;
  const [nodeToken, ...extra] = rest;
  if (nodeToken === undefined) {
    return failAt(
      first.end,
      `Missing N for \`${first.text}\`; write \`${first.text} N\`, e.g. \`${example}\`.`,
    );
  }
  rejectExtra(nodeToken, extra);
  return parseNodeId(nodeToken, example);
}

function rejectExtra(previous: Token, extra: Token[]): void {
  const token = extra[0];
  if (token === undefined) return;
  failAt(
    token.col,
    `Unexpected \`${token.text}\` after \`${previous.text}\`; separate assertions with commas and quote values that have spaces, e.g. \`=> "hello world", stale 2\`.`,
  );
}

// Values, `missing`, `stale` and `repaired` describe what a read saw, so only `get` has them.
function requireGet(token: Token, command: Command): void {
  if (command.kind === 'get') return;
  const shown = token.kind === 'string' ? JSON.stringify(token.text) : token.text;
  failAt(
    token.col,
    `\`${shown}\` can only be asserted after \`get\`; after \`${command.kind}\`, assert \`ok\` or \`error\`.`,
  );
}
