// The prompt grammar and the batch-file parser: lines from the language's own words, mutated
// example files, and any text.
import fc from 'fast-check';
import { Ring } from '../../../src/core/ring.js';
import { levelNames } from '../../../src/core/levels.js';
import { parseSources } from '../../../src/orchestrator/batch/sources.js';
import { parseLine, parseScript } from '../../../src/orchestrator/grammar.js';
import { mutatedTextArbitrary } from '../mutate.js';
import { check, fuzzCounts, FuzzViolation } from '../oracle.js';
import { exampleBatchTexts } from '../samples.js';
import { defineTarget } from '../target.js';

const exampleLines = exampleBatchTexts
  .flatMap((text) => text.split('\n'))
  .filter((l) => l.trim() !== '');

const words = [
  'insert',
  'update',
  'delete',
  'get',
  'search',
  'show-all',
  'use',
  'kill',
  'restart',
  'pause',
  'resume',
  'partition',
  'heal',
  'delay',
  'loss',
  'repair',
  'wait',
  'repairs',
  'status',
  'help',
  'trace',
  'clock',
  'quit',
  'exit',
  ...levelNames,
  '=>',
  '&',
  ',',
  '|',
  '->',
  '#',
  '@1',
  '@2',
  '@0',
  '@99',
  '1',
  '2',
  '3',
  '4',
  '5',
  '0',
  '-1',
  '1.5',
  '1e9',
  '100%',
  '0%',
  '150%',
  '50ms',
  '2s',
  '1h',
  'ok',
  'missing',
  'error',
  'TIMEOUT',
  'UNAVAILABLE',
  'stale',
  'repaired',
  'fresh',
  '"quoted value"',
  "'single'",
  '"unterminated',
  '\\"',
  '1->2',
  '1,2',
  '3,4',
  '__proto__',
  'constructor',
  '\t',
  '\u00a0',
  '\u200b',
  '💥',
  'é',
];

const lineArbitrary: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 6 })), { maxLength: 10 })
      .chain((tokens) =>
        fc
          .array(fc.constantFrom(' ', '  ', '\t', ''), {
            minLength: tokens.length,
            maxLength: tokens.length,
          })
          .map((spaces) => tokens.map((token, i) => token + spaces[i]).join('')),
      ),
  },
  { weight: 2, arbitrary: mutatedTextArbitrary(exampleLines) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.constantFrom(...exampleLines) },
);

function checkProblem(problem: { line: number; col: number; message: string }, source: string) {
  check(
    problem.message.trim() !== '' && !problem.message.includes('\n'),
    'a problem without a one-line message',
  );
  check(
    Number.isInteger(problem.col) && problem.col >= 1 && problem.col <= source.length + 1,
    `problem column ${problem.col} outside the line of ${source.length} characters`,
  );
}

// parseLine promises never to throw on input; a LineProblem becomes BAD_COMMAND where shown.
function parseOrViolate<T>(parse: () => T, what: string): T {
  try {
    return parse();
  } catch (error) {
    const shown = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new FuzzViolation(`${what} threw instead of reporting a problem: ${shown}`, {
      cause: error,
    });
  }
}

export const grammarTarget = defineTarget({
  name: 'grammar',
  description: 'prompt lines through parseLine',
  arbitrary: lineArbitrary,
  run(source: string) {
    const result = parseOrViolate(() => parseLine(source, 1), 'parseLine');
    fuzzCounts[result.ok ? 'accepted' : 'rejected']++;
    if (!result.ok) {
      checkProblem(result.problem, source);
      return;
    }
    if (result.parsed !== null)
      check(result.parsed.source === source, 'parsed line lost its source');
  },
});

const ring = new Ring([1, 2, 3, 4], 3, 8);

export const batchTarget = defineTarget({
  name: 'batch',
  description: 'batch files through parseSources (grammar, then node ids and replicas)',
  arbitrary: fc.oneof(
    fc.array(lineArbitrary, { maxLength: 8 }).map((lines) => lines.join('\n')),
    mutatedTextArbitrary(exampleBatchTexts),
    fc.string({ unit: 'binary', maxLength: 200 }),
  ),
  run(text: string) {
    const parsed = parseOrViolate(
      () => parseSources([{ file: 'fuzz.kv', text }], { nodeIds: [1, 2, 3, 4], ring }),
      'parseSources',
    );
    const script = parseScript(text);
    fuzzCounts[parsed.problems.length === 0 ? 'accepted' : 'rejected']++;
    check(
      parsed.problems.length >= script.problems.length,
      'parseSources dropped a syntax problem',
    );
    for (const problem of parsed.problems)
      check(problem.startsWith('fuzz.kv:'), 'a problem without its file');
    for (const problem of script.problems) checkProblem(problem, problem.source);
  },
});
