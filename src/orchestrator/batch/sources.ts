import { readFile } from 'node:fs/promises';
import { text as readStreamText } from 'node:stream/consumers';
import { QuartetError } from '../../core/errors.js';
import type { Ring } from '../../core/ring.js';
import type { ParsedLine, SyntaxProblem } from '../commands.js';
import { formatProblem, parseScript } from '../grammar.js';

/** A batch file, read and parsed; `file` is the path as given (`-` for standard input). */
export interface BatchSource {
  file: string;
  lines: ParsedLine[];
}

export interface ParsedSources {
  sources: BatchSource[];
  /** Every problem of every file, formatted as `file:line:col: message`, the line and a caret. */
  problems: string[];
}

/** Reads every file (`-` is standard input, once); an unreadable file is a usage error. */
export async function readSources(
  files: readonly string[],
  stdin: NodeJS.ReadableStream,
): Promise<{ file: string; text: string }[]> {
  if (files.length === 0) {
    throw new QuartetError(
      'USAGE',
      'Expected at least one batch file, e.g. `quartet run demo.kv`, or `-` for standard input.',
    );
  }
  if (files.filter((file) => file === '-').length > 1) {
    throw new QuartetError('USAGE', 'Standard input (`-`) can be read only once per run.');
  }
  return Promise.all(
    files.map(async (file) => {
      try {
        const text = file === '-' ? await readStreamText(stdin) : await readFile(file, 'utf8');
        return { file, text };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new QuartetError('USAGE', `Cannot read the batch file ${file}: ${reason}.`, {
          cause: error,
        });
      }
    }),
  );
}

/**
 * Parses every file before anything runs, and checks what only the config can tell: node ids
 * that exist, and `stale N` / `repaired N` naming a replica of the key read.
 */
export function parseSources(
  texts: readonly { file: string; text: string }[],
  topology: { nodeIds: readonly number[]; ring: Ring },
): ParsedSources {
  const result: ParsedSources = { sources: [], problems: [] };
  for (const { file, text } of texts) {
    const { lines, problems } = parseScript(text);
    const found = problems.concat(lines.flatMap((line) => checkTopology(line, topology)));
    found.sort((a, b) => a.line - b.line || a.col - b.col);
    result.problems.push(...found.map((problem) => formatProblem(problem, file)));
    result.sources.push({ file, lines });
  }
  return result;
}

function checkTopology(
  parsed: ParsedLine,
  topology: { nodeIds: readonly number[]; ring: Ring },
): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const known = topology.nodeIds;
  const problem = (col: number, message: string) =>
    problems.push({ line: parsed.line, col, message, source: parsed.source });
  for (const { node, col } of referencedNodes(parsed)) {
    if (!known.includes(node)) {
      problem(col, `There is no node ${node}; the nodes of this config are ${known.join(', ')}.`);
    }
  }
  const { command } = parsed;
  if (command.kind !== 'get') return problems;
  const replicas = topology.ring.replicasFor(command.key);
  for (const assertion of parsed.assertions) {
    if (assertion.kind !== 'stale' && assertion.kind !== 'repaired') continue;
    if (!known.includes(assertion.node) || replicas.includes(assertion.node)) continue;
    problem(
      columnOf(parsed.source, new RegExp(`\\b${assertion.kind}\\s+(${assertion.node})\\b`, 'i')),
      `Node ${assertion.node} is not a replica of key ${JSON.stringify(command.key)} (its replicas are ${replicas.join(', ')}), so \`${assertion.kind} ${assertion.node}\` can never hold.`,
    );
  }
  return problems;
}

function referencedNodes(parsed: ParsedLine): { node: number; col: number }[] {
  const { source, command } = parsed;
  const refs: { node: number; col: number }[] = [];
  if (parsed.node !== undefined) {
    refs.push({ node: parsed.node, col: columnOf(source, new RegExp(`@(${parsed.node})\\b`)) });
  }
  const args = (...nodes: number[]) => {
    for (const node of nodes) refs.push({ node, col: columnOf(source, wholeNumber(node)) });
  };
  switch (command.kind) {
    case 'use':
    case 'kill':
    case 'restart':
    case 'pause':
    case 'resume':
    case 'skew':
      args(command.node);
      break;
    case 'partition':
      args(...command.groups.flat());
      break;
    case 'delay':
      args(...(command.from === undefined ? [] : [command.from]), command.to);
      break;
    case 'loss':
      args(command.from, command.to);
      break;
    case 'repair':
      if (command.node !== undefined) args(command.node);
      break;
    default:
      break;
  }
  for (const assertion of parsed.assertions) {
    if (assertion.kind !== 'stale' && assertion.kind !== 'repaired') continue;
    const pattern = new RegExp(`\\b${assertion.kind}\\s+(${assertion.node})\\b`, 'i');
    refs.push({ node: assertion.node, col: columnOf(source, pattern) });
  }
  return refs;
}

function wholeNumber(node: number): RegExp {
  return new RegExp(`(?<![\\w.@])(${node})(?![\\w.%])`);
}

// The 1-based column of the pattern's first group in the line; 1 when it cannot be found.
function columnOf(source: string, pattern: RegExp): number {
  const match = pattern.exec(source);
  if (match === null) return 1;
  return match.index + match[0].indexOf(match[1] ?? match[0]) + 1;
}
