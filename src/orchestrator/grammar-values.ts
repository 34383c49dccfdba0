// Parsers for the argument values of commands: node ids, levels, durations, loss rates,
// links and partition groups. Each one reports a bad token with `failAt` at its column.
import { isLevelName, levelNames, type LevelName } from '../core/levels.js';
import { QuartetError } from '../core/errors.js';
import { parseDurationMs } from '../config/durations.js';
import { failAt, type Token } from './tokenize.js';

export interface Link {
  from: number;
  to: number;
}

const nodeIdPattern = /^\d+$/;
const linkPattern = /^(\d+)->(\d+)$/;
const lossPattern = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/;

export function parseNodeId(token: Token, example: string): number {
  return readNodeId(token.text, token.col, example);
}

export function parseLevel(token: Token): LevelName {
  const level = token.text.toLowerCase();
  if (isLevelName(level)) return level;
  return failAt(token.col, `Unknown level \`${token.text}\`; use one of ${levelNames.join(', ')}.`);
}

export function parseDuration(token: Token, what: string): number {
  try {
    return parseDurationMs(token.text, 'ms', what);
  } catch (error) {
    if (error instanceof QuartetError) return failAt(token.col, error.message);
    throw error;
  }
}

// A loss rate is a percentage (`10%`, 0..100) or a fraction (`0.1`, 0..1); it becomes 0..1.
export function parseLossRate(token: Token): number {
  const match = lossPattern.exec(token.text);
  if (match?.[1] === undefined) {
    return failAt(
      token.col,
      `Invalid loss rate \`${token.text}\`; write a percentage like \`10%\` or a fraction like \`0.1\`.`,
    );
  }
  const percent = match[2] === '%';
  const amount = Number(match[1]);
  if (amount > (percent ? 100 : 1)) {
    return failAt(
      token.col,
      `Loss rate \`${token.text}\` is out of range; use 0% to 100%, or a fraction from 0 to 1 like \`0.1\`.`,
    );
  }
  return percent ? amount / 100 : amount;
}

export function parseLink(token: Token, example: string): Link {
  const match = linkPattern.exec(token.text);
  if (match?.[1] === undefined || match[2] === undefined) {
    return failAt(
      token.col,
      `Invalid link \`${token.text}\`; write \`FROM->TO\` with two node ids, e.g. \`${example}\`.`,
    );
  }
  const from = readNodeId(match[1], token.col, example);
  const to = readNodeId(match[2], token.col + match[1].length + 2, example);
  if (from === to) {
    failAt(
      token.col,
      `A link joins two different nodes, got \`${token.text}\`; e.g. \`${example}\`.`,
    );
  }
  return { from, to };
}

function readNodeId(text: string, col: number, example: string): number {
  const id = Number(text);
  if (!nodeIdPattern.test(text) || id < 1 || !Number.isSafeInteger(id)) {
    return failAt(col, `Node id \`${text}\` must be a positive integer, e.g. \`${example}\`.`);
  }
  return id;
}

const partitionExample = 'partition 1,2 | 3,4';

// Groups of node ids: ids separated by `,`, groups by `|`, spaces anywhere, at least two groups.
export function parsePartition(args: Token[], missingCol: number): number[][] {
  const first = args[0];
  if (first === undefined) {
    return failAt(
      missingCol,
      `\`partition\` needs groups of node ids separated by \`|\`, e.g. \`${partitionExample}\`.`,
    );
  }
  const groups: number[][] = [[]];
  const seen = new Set<number>();
  let expectId = true;
  for (const part of splitPartitionParts(args)) {
    if (part.text === ',' || part.text === '|') {
      if (expectId)
        failAt(
          part.col,
          `Expected a node id before \`${part.text}\`, e.g. \`${partitionExample}\`.`,
        );
      if (part.text === '|') groups.push([]);
      expectId = true;
      continue;
    }
    if (!expectId)
      failAt(
        part.col,
        `Expected \`,\` or \`|\` before \`${part.text}\`, e.g. \`${partitionExample}\`.`,
      );
    const id = readNodeId(part.text, part.col, partitionExample);
    if (seen.has(id))
      failAt(part.col, `Node ${id} appears twice; put each node in at most one group.`);
    seen.add(id);
    groups.at(-1)?.push(id);
    expectId = false;
  }
  const last = args.at(-1) ?? first;
  if (expectId) failAt(last.end, `Expected a node id at the end, e.g. \`${partitionExample}\`.`);
  if (groups.length < 2) {
    failAt(
      first.col,
      `A partition needs at least two groups separated by \`|\`, e.g. \`${partitionExample}\`.`,
    );
  }
  return groups;
}

interface Part {
  text: string;
  col: number;
}

// Splits the words after `partition` into ids, `,` and `|`; anything else is an error.
function splitPartitionParts(args: Token[]): Part[] {
  const parts: Part[] = [];
  for (const token of args) {
    if (token.kind === 'string')
      failAt(token.col, `Node ids are not quoted; write \`${partitionExample}\`.`);
    for (const match of token.text.matchAll(/\d+|[,|]|[^\d,|]+/g)) {
      const col = token.col + (match.index ?? 0);
      if (!/^(\d+|[,|])$/.test(match[0])) {
        failAt(
          col,
          `Unexpected \`${match[0]}\` in a partition; write groups of node ids like \`${partitionExample}\`.`,
        );
      }
      parts.push({ text: match[0], col });
    }
  }
  return parts;
}

// The candidate closest to `input` by edit distance (a swap counts as one), if within 2.
export function suggestClosest(input: string, candidates: readonly string[]): string | undefined {
  if (input.length > 20) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = measureEditDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
export function measureEditDistance(source: string, target: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= source.length; i += 1) {
    const row: number[] = [];
    for (let j = 0; j <= target.length; j += 1) {
      row.push(i === 0 || j === 0 ? i + j : cellCost(rows, row, source, target, i, j));
    }
    rows.push(row);
  }
  return rows[source.length]?.[target.length] ?? 0;
}

function cellCost(
  rows: number[][],
  row: number[],
  source: string,
  target: string,
  i: number,
  j: number,
): number {
  const above = rows[i - 1] ?? [];
  const same = source[i - 1] === target[j - 1];
  let cost = Math.min(
    (above[j] ?? 0) + 1,
    (row[j - 1] ?? 0) + 1,
    (above[j - 1] ?? 0) + (same ? 0 : 1),
  );
  const swapped =
    i > 1 && j > 1 && source[i - 1] === target[j - 2] && source[i - 2] === target[j - 1];
  if (swapped) cost = Math.min(cost, (rows[i - 2]?.[j - 2] ?? 0) + 1);
  return cost;
}
