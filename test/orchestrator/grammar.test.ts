import test from 'ava';
import fc from 'fast-check';
import { errorCodes } from '../../src/core/errors.js';
import type { Assertion, Command, ParsedLine } from '../../src/orchestrator/commands.js';
import { formatProblem, helpText, parseLine, parseScript } from '../../src/orchestrator/grammar.js';

interface Extras {
  node?: number;
  background?: boolean;
  assertions?: Assertion[];
}

const parses = test.macro({
  exec(t, source: string, command: Command, extras: Extras = {}) {
    const expected: ParsedLine = {
      line: 1,
      source,
      command,
      background: extras.background ?? false,
      assertions: extras.assertions ?? [],
    };
    if (extras.node !== undefined) expected.node = extras.node;
    t.deepEqual(parseLine(source, 1), { ok: true, parsed: expected });
  },
  title: (given, source) => given ?? `parses \`${source}\``,
});

const rejects = test.macro({
  exec(t, source: string, col: number, message: string) {
    t.deepEqual(parseLine(source, 1), { ok: false, problem: { line: 1, col, message, source } });
  },
  title: (given, source) => given ?? `rejects \`${source}\``,
});

// For messages that come from the shared duration parser: the column is exact, the wording is its own.
const rejectsLike = test.macro({
  exec(t, source: string, col: number, pattern: RegExp) {
    const result = parseLine(source, 1);
    if (result.ok) return t.fail(`\`${source}\` parsed`);
    t.is(result.problem.col, col);
    t.regex(result.problem.message, pattern);
  },
  title: (given, source) => given ?? `rejects \`${source}\``,
});

// Data commands, as in the original assignment.
test(parses, 'insert 5 1 one', { kind: 'insert', key: '5', value: '1', level: 'one' });
test(parses, 'update 5 3 all', { kind: 'update', key: '5', value: '3', level: 'all' });
test(parses, 'delete 5', { kind: 'delete', key: '5' });
test(parses, 'delete 5 quorum', { kind: 'delete', key: '5', level: 'quorum' });
test(parses, 'get 5 one', { kind: 'get', key: '5', level: 'one' });
test(parses, 'get 5', { kind: 'get', key: '5' });
test(parses, 'get 5 two', { kind: 'get', key: '5', level: 'two' });
test(parses, 'get 5 three', { kind: 'get', key: '5', level: 'three' });
test('a lone third word is the value, not the level', parses, 'insert 5 one', {
  kind: 'insert',
  key: '5',
  value: 'one',
});
test('levels and command words are case-insensitive', parses, 'GET 5 Quorum', {
  kind: 'get',
  key: '5',
  level: 'quorum',
});
test(parses, '  insert\tk1   v1  ', { kind: 'insert', key: 'k1', value: 'v1' });

// Navigation and inspection.
test(parses, 'use 2', { kind: 'use', node: 2 });
test(parses, 'status', { kind: 'status' });
test(parses, 'status 3', { kind: 'status', node: 3 });
test(parses, 'show-all', { kind: 'show-all' });
test(parses, 'search 5', { kind: 'search', key: '5' });
test(parses, 'explain 5', { kind: 'explain', key: '5' });
test(parses, 'EXPLAIN "my key" Quorum', { kind: 'explain', key: 'my key', level: 'quorum' });
test(parses, 'help', { kind: 'help' });
test(parses, 'quit', { kind: 'quit' });
test('exit is quit', parses, 'exit', { kind: 'quit' });

// Faults.
test(parses, 'kill 2', { kind: 'kill', node: 2 });
test(parses, 'restart 2', { kind: 'restart', node: 2 });
test(parses, 'pause 3', { kind: 'pause', node: 3 });
test(parses, 'resume 3', { kind: 'resume', node: 3 });
test(parses, 'partition 1,2 | 3,4', {
  kind: 'partition',
  groups: [
    [1, 2],
    [3, 4],
  ],
});
test(parses, 'partition 1,2|3,4', {
  kind: 'partition',
  groups: [
    [1, 2],
    [3, 4],
  ],
});
test(parses, 'partition 1 , 2 |3| 4', { kind: 'partition', groups: [[1, 2], [3], [4]] });
test(parses, 'heal', { kind: 'heal' });
test(parses, 'delay 2 50ms', { kind: 'delay', to: 2, delayMs: 50 });
test(parses, 'delay 1->2 50ms', { kind: 'delay', from: 1, to: 2, delayMs: 50 });
test(parses, 'delay 3 0', { kind: 'delay', to: 3, delayMs: 0 });
test(parses, 'loss 1->2 10%', { kind: 'loss', from: 1, to: 2, lossRate: 0.1 });
test(parses, 'loss 1->2 0.1', { kind: 'loss', from: 1, to: 2, lossRate: 0.1 });
test(parses, 'loss 2->1 100%', { kind: 'loss', from: 2, to: 1, lossRate: 1 });
test(parses, 'loss 2->1 0', { kind: 'loss', from: 2, to: 1, lossRate: 0 });
test(parses, 'skew 4 -2s', { kind: 'skew', node: 4, skewMs: -2000 });
test(parses, 'skew 1 +300ms', { kind: 'skew', node: 1, skewMs: 300 });
test(parses, 'skew 2 250', { kind: 'skew', node: 2, skewMs: 250 });
test(parses, 'skew 3 0', { kind: 'skew', node: 3, skewMs: 0 });
test(parses, 'skew 3 -0s', { kind: 'skew', node: 3, skewMs: 0 });

// Flow.
test(parses, 'sleep 200ms', { kind: 'sleep', ms: 200 });
test(parses, 'sleep 2s', { kind: 'sleep', ms: 2000 });
test(parses, 'sleep 1m', { kind: 'sleep', ms: 60_000 });
test(parses, 'sleep 1.5s', { kind: 'sleep', ms: 1500 });
test('a bare duration is milliseconds', parses, 'sleep 200', { kind: 'sleep', ms: 200 });
test(parses, 'wait', { kind: 'wait', what: 'all' });
test(parses, 'wait all', { kind: 'wait', what: 'all' });
test(parses, 'wait repairs', { kind: 'wait', what: 'repairs' });

// The node prefix.
test(parses, '@2 get 5 one', { kind: 'get', key: '5', level: 'one' }, { node: 2 });
test(parses, '@4 insert 5 1', { kind: 'insert', key: '5', value: '1' }, { node: 4 });
test(parses, '@3 show-all', { kind: 'show-all' }, { node: 3 });
test(parses, '@1 search k', { kind: 'search', key: 'k' }, { node: 1 });
test(parses, '@3 explain k all', { kind: 'explain', key: 'k', level: 'all' }, { node: 3 });

// Background.
test(parses, 'get 5 &', { kind: 'get', key: '5' }, { background: true });
test(
  'a glued `&` runs in the background',
  parses,
  'insert 5 1 one&',
  {
    kind: 'insert',
    key: '5',
    value: '1',
    level: 'one',
  },
  { background: true },
);
test(
  'a `&` glued to a closing quote runs in the background',
  parses,
  'insert 5 "a b"&',
  {
    kind: 'insert',
    key: '5',
    value: 'a b',
  },
  { background: true },
);
test(
  parses,
  '@2 delete 5 all &',
  { kind: 'delete', key: '5', level: 'all' },
  {
    node: 2,
    background: true,
  },
);
test(
  '`&` comes before `=>`',
  parses,
  'get 5 one & => 3',
  { kind: 'get', key: '5', level: 'one' },
  {
    background: true,
    assertions: [{ kind: 'value', value: '3' }],
  },
);
test(
  '`&` glued before `=>`',
  parses,
  'get 5&=>3',
  { kind: 'get', key: '5' },
  {
    background: true,
    assertions: [{ kind: 'value', value: '3' }],
  },
);
test('a `&` inside a word is part of the value', parses, 'insert 5 a&b', {
  kind: 'insert',
  key: '5',
  value: 'a&b',
});
test('a quoted `&` is part of the value', parses, 'insert 5 "&"', {
  kind: 'insert',
  key: '5',
  value: '&',
});

// Assertions.
const get5: Command = { kind: 'get', key: '5' };
test(parses, 'get 5 => 3', get5, { assertions: [{ kind: 'value', value: '3' }] });
test(parses, 'get 5 => "hello world"', get5, {
  assertions: [{ kind: 'value', value: 'hello world' }],
});
test(parses, 'get 5 => missing', get5, { assertions: [{ kind: 'missing' }] });
test(parses, 'get 5 => ok', get5, { assertions: [{ kind: 'ok' }] });
test(parses, 'get 5 => error', get5, { assertions: [{ kind: 'error' }] });
test(parses, 'get 5 => error UNAVAILABLE', get5, {
  assertions: [{ kind: 'error', code: 'UNAVAILABLE' }],
});
test('error codes are case-insensitive', parses, 'get 5 => error timeout', get5, {
  assertions: [{ kind: 'error', code: 'TIMEOUT' }],
});
test('a quoted "ok" is a value', parses, 'get 5 => "ok"', get5, {
  assertions: [{ kind: 'value', value: 'ok' }],
});
test('a quoted "missing" is a value', parses, 'get 5 => "missing"', get5, {
  assertions: [{ kind: 'value', value: 'missing' }],
});
test(
  parses,
  'get 5 all => 3, stale 2, repaired 2',
  { kind: 'get', key: '5', level: 'all' },
  {
    assertions: [
      { kind: 'value', value: '3' },
      { kind: 'stale', node: 2 },
      { kind: 'repaired', node: 2 },
    ],
  },
);
test('commas need no spaces', parses, 'get 5=>3,stale 2,"a,b"', get5, {
  assertions: [
    { kind: 'value', value: '3' },
    { kind: 'stale', node: 2 },
    { kind: 'value', value: 'a,b' },
  ],
});
test(
  parses,
  'insert 5 1 => ok',
  { kind: 'insert', key: '5', value: '1' },
  {
    assertions: [{ kind: 'ok' }],
  },
);
test(
  parses,
  'delete 5 => error TIMEOUT',
  { kind: 'delete', key: '5' },
  {
    assertions: [{ kind: 'error', code: 'TIMEOUT' }],
  },
);
test(parses, 'kill 2 => ok', { kind: 'kill', node: 2 }, { assertions: [{ kind: 'ok' }] });

// Quoting, escapes and comments.
test(parses, 'insert "my key" "hello world"', {
  kind: 'insert',
  key: 'my key',
  value: 'hello world',
});
test(parses, 'insert 5 "say \\"hi\\" \\\\o/"', {
  kind: 'insert',
  key: '5',
  value: 'say "hi" \\o/',
});
test(parses, 'insert 5 ""', { kind: 'insert', key: '5', value: '' });
test('a quoted `#` is not a comment', parses, 'insert 5 "# no"', {
  kind: 'insert',
  key: '5',
  value: '# no',
});
test('a `#` inside a word is not a comment', parses, 'insert 5 a#b', {
  kind: 'insert',
  key: '5',
  value: 'a#b',
});
test('a `#` at the start of a token starts a comment', parses, 'get 5 one # read it', {
  kind: 'get',
  key: '5',
  level: 'one',
});
test('a comment may follow assertions', parses, 'get 5 => 3 #then', get5, {
  assertions: [{ kind: 'value', value: '3' }],
});
test('a quoted `=>` is part of the value', parses, 'insert 5 "a=>b"', {
  kind: 'insert',
  key: '5',
  value: 'a=>b',
});
test(parses, 'insert ключ ünïcødé', { kind: 'insert', key: 'ключ', value: 'ünïcødé' });
test(parses, 'get 🎉 one', { kind: 'get', key: '🎉', level: 'one' });

const ignores = test.macro({
  exec(t, source: string) {
    t.deepEqual(parseLine(source, 7), { ok: true, parsed: null });
  },
  title: (given, source) => given ?? `ignores ${JSON.stringify(source)}`,
});
test(ignores, '');
test(ignores, '   \t ');
test(ignores, '# a comment');
test(ignores, '   #indented comment => get 5');

// Syntax errors: message and column.
test(rejects, 'get 5 most', 7, 'Unknown level `most`; use one of one, two, three, quorum, all.');
test(rejects, 'gte 5', 1, 'Unknown command `gte`; did you mean `get`? Type `help` for the list.');
test(
  rejects,
  'insrt 5 1',
  1,
  'Unknown command `insrt`; did you mean `insert`? Type `help` for the list.',
);
test(
  rejects,
  'shwo-all',
  1,
  'Unknown command `shwo-all`; did you mean `show-all`? Type `help` for the list.',
);
test(rejects, 'frobnicate', 1, 'Unknown command `frobnicate`; type `help` for the list.');
test(
  rejects,
  '"get" 5',
  1,
  'A command name is not quoted; write it bare, e.g. `get 5`. Type `help` for the list.',
);
test(
  rejects,
  'insert',
  7,
  'Missing KEY for `insert`; write `insert KEY VALUE [LEVEL]`, e.g. `insert 5 1 one`.',
);
test(
  rejects,
  'insert 5',
  9,
  'Missing VALUE for `insert`; write `insert KEY VALUE [LEVEL]`, e.g. `insert 5 1 one`.',
);
test(rejects, 'get', 4, 'Missing KEY for `get`; write `get KEY [LEVEL]`, e.g. `get 5 one`.');
test(rejects, 'get & => 3', 4, 'Missing KEY for `get`; write `get KEY [LEVEL]`, e.g. `get 5 one`.');
test(
  rejects,
  'insert 5 1 one two',
  16,
  'Too many arguments to `insert`: `two` is extra; write `insert KEY VALUE [LEVEL]` and quote values that have spaces.',
);
test(
  rejects,
  'insert 5 hello world',
  16,
  'Unknown level `world`; use one of one, two, three, quorum, all.',
);
test(
  rejects,
  'get 5 one two',
  11,
  'Too many arguments to `get`: `two` is extra; write `get KEY [LEVEL]` and quote values that have spaces.',
);
test(rejects, 'kill 2 3', 8, 'Too many arguments to `kill`: `3` is extra; write `kill N`.');
test(rejects, 'status now', 8, 'Node id `now` must be a positive integer, e.g. `status 2`.');
test(rejects, 'exit now', 6, '`exit` takes no arguments; remove `now`.');
test(rejects, 'insert "" 1', 8, 'A key cannot be empty; write a key like `5` or `"my key"`.');
test(rejects, 'use', 4, 'Missing N for `use`; write `use N`, e.g. `use 2`.');
test(rejects, 'use two', 5, 'Node id `two` must be a positive integer, e.g. `use 2`.');
test(rejects, 'status two', 8, 'Node id `two` must be a positive integer, e.g. `status 2`.');
test(rejects, 'kill 0', 6, 'Node id `0` must be a positive integer, e.g. `kill 2`.');
test(rejects, 'restart -1', 9, 'Node id `-1` must be a positive integer, e.g. `restart 2`.');
test(rejects, 'pause 1.5', 7, 'Node id `1.5` must be a positive integer, e.g. `pause 3`.');
test(rejects, 'search', 7, 'Missing KEY for `search`; write `search KEY`, e.g. `search 5`.');
test(
  rejects,
  'explain',
  8,
  'Missing KEY for `explain`; write `explain KEY [LEVEL]`, e.g. `explain 5`.',
);
test(
  rejects,
  'explain 5 most',
  11,
  'Unknown level `most`; use one of one, two, three, quorum, all.',
);
test(
  rejects,
  'wait forever',
  6,
  'Unknown wait target `forever`; write `wait` to join everything outstanding or `wait repairs` for repairs only.',
);
test(
  rejects,
  'sleep',
  6,
  'Missing DURATION for `sleep`; write `sleep DURATION`, e.g. `sleep 200ms`.',
);
test(rejectsLike, 'sleep fast', 7, /`sleep` duration.*"fast"/);
test(rejectsLike, 'sleep -5ms', 7, /`sleep` duration.*"-5ms"/);
test(rejectsLike, 'delay 2 soon', 9, /`delay` duration.*"soon"/);

// Node prefix errors.
test(rejects, '@ get 5', 1, 'Expected a node id after `@`, e.g. `@2 get 5`.');
test(rejects, '@x get 5', 2, 'Node id `x` must be a positive integer, e.g. `@2 get 5`.');
test(rejects, '@0 get 5', 2, 'Node id `0` must be a positive integer, e.g. `@2 get 5`.');
test(rejects, '@2', 1, 'Expected a command after `@2`, e.g. `@2 get 5`.');
test(
  rejects,
  '@2 kill 3',
  1,
  '`@2` picks the coordinator of one insert, update, delete, get, search, show-all or explain; `kill` does not take it, remove `@2`.',
);

// Partition errors.
const partitionExample = 'e.g. `partition 1,2 | 3,4`.';
test(
  rejects,
  'partition',
  10,
  `\`partition\` needs groups of node ids separated by \`|\`, ${partitionExample}`,
);
test(
  rejects,
  'partition 1,2',
  11,
  `A partition needs at least two groups separated by \`|\`, ${partitionExample}`,
);
test(
  rejects,
  'partition 1,2 | 2,3',
  17,
  'Node 2 appears twice; put each node in at most one group.',
);
test(rejects, 'partition 1,1 | 2', 13, 'Node 1 appears twice; put each node in at most one group.');
test(rejects, 'partition 1,|2', 13, `Expected a node id before \`|\`, ${partitionExample}`);
test(rejects, 'partition | 1', 11, `Expected a node id before \`|\`, ${partitionExample}`);
test(rejects, 'partition 1,2 |', 16, `Expected a node id at the end, ${partitionExample}`);
test(rejects, 'partition 1 2 | 3', 13, `Expected \`,\` or \`|\` before \`2\`, ${partitionExample}`);
test(
  rejects,
  'partition 1,x | 3',
  13,
  'Unexpected `x` in a partition; write groups of node ids like `partition 1,2 | 3,4`.',
);
test(
  rejects,
  'partition 0 | 3',
  11,
  'Node id `0` must be a positive integer, e.g. `partition 1,2 | 3,4`.',
);

// Delay and loss errors.
test(
  rejects,
  'delay 2',
  8,
  'Missing DURATION for `delay`; write `delay N|FROM->TO DURATION`, e.g. `delay 1->2 50ms`.',
);
test(
  rejects,
  'delay 1->1 5ms',
  7,
  'A link joins two different nodes, got `1->1`; e.g. `delay 1->2 50ms`.',
);
test(
  rejects,
  'delay 1-2 5ms',
  7,
  'Invalid link `1-2`; write `FROM->TO` with two node ids, e.g. `delay 1->2 50ms`.',
);
test(
  rejects,
  'delay 1->0 5ms',
  10,
  'Node id `0` must be a positive integer, e.g. `delay 1->2 50ms`.',
);
test(
  rejects,
  'loss 2 10%',
  6,
  'Invalid link `2`; write `FROM->TO` with two node ids, e.g. `loss 1->2 10%`.',
);
test(
  rejects,
  'loss 1->2 150%',
  11,
  'Loss rate `150%` is out of range; use 0% to 100%, or a fraction from 0 to 1 like `0.1`.',
);
test(
  rejects,
  'loss 1->2 2',
  11,
  'Loss rate `2` is out of range; use 0% to 100%, or a fraction from 0 to 1 like `0.1`.',
);
test(
  rejects,
  'loss 1->2 lots',
  11,
  'Invalid loss rate `lots`; write a percentage like `10%` or a fraction like `0.1`.',
);
test(
  rejects,
  'loss 1->2 -5%',
  11,
  'Invalid loss rate `-5%`; write a percentage like `10%` or a fraction like `0.1`.',
);

test(
  rejects,
  'skew 4 --2s',
  8,
  'Invalid clock skew `--2s`; write a signed duration like `-2s` or `+300ms`, or `0` to restore the clock.',
);
test(
  rejects,
  'skew 4',
  7,
  'Missing ±DURATION for `skew`; write `skew N ±DURATION`, e.g. `skew 4 -2s`.',
);
test(rejects, 'skew 0 1s', 6, 'Node id `0` must be a positive integer, e.g. `skew 4 -2s`.');

// `&` errors.
test(
  rejects,
  'get 5 => 3 &',
  12,
  '`&` goes before `=>`, e.g. `get 5 & => 3`; to assert a value with `&` in it, quote the value.',
);
test(
  rejects,
  'get 5 => 3&',
  11,
  '`&` goes before `=>`, e.g. `get 5 & => 3`; to assert a value with `&` in it, quote the value.',
);
test(
  rejects,
  'get 5 & one',
  7,
  '`&` goes at the end of the command, before any `=>`, e.g. `get 5 one & => 3`; quote a value that has `&` in it.',
);
test(
  rejects,
  'get 5 & &',
  7,
  '`&` goes at the end of the command, before any `=>`, e.g. `get 5 one & => 3`; quote a value that has `&` in it.',
);
test(
  rejects,
  'status &',
  8,
  '`&` runs insert, update, delete or get in the background; `status` does not take it, remove `&`.',
);
test(
  rejects,
  'sleep 1s&',
  9,
  '`&` runs insert, update, delete or get in the background; `sleep` does not take it, remove `&`.',
);
test(rejects, '&', 1, 'Expected a command before `&`, e.g. `get 5 &`.');

// Assertion errors.
test(rejects, '=> 3', 1, 'Expected a command before `=>`, e.g. `get 5 => 3`.');
test(
  rejects,
  'get 5 =>',
  7,
  'Expected an assertion after `=>`, e.g. `=> 3`, `=> missing` or `=> ok`.',
);
test(
  rejects,
  'get 5 => 3,',
  11,
  'Expected an assertion after `,`, e.g. `=> 3`, `=> missing` or `=> ok`.',
);
test(
  rejects,
  'get 5 => 3,, ok',
  11,
  'Expected an assertion after `,`, e.g. `=> 3`, `=> missing` or `=> ok`.',
);
test(
  rejects,
  'get 5 => 3 => 4',
  12,
  'Only one `=>` per line; separate assertions with commas, e.g. `=> 3, stale 2`.',
);
test(
  rejects,
  'get 5 => hello world',
  16,
  'Unexpected `world` after `hello`; separate assertions with commas and quote values that have spaces, e.g. `=> "hello world", stale 2`.',
);
test(
  rejects,
  'get 5 => ok 3',
  13,
  'Unexpected `3` after `ok`; separate assertions with commas and quote values that have spaces, e.g. `=> "hello world", stale 2`.',
);
test(
  rejects,
  'get 5 => stale',
  15,
  'Missing N for `stale`; write `stale N`, e.g. `get 5 all => 3, stale 2`.',
);
test(
  rejects,
  'get 5 => repaired x',
  19,
  'Node id `x` must be a positive integer, e.g. `get 5 all => 3, repaired 2`.',
);
test(
  rejects,
  'insert 5 1 => missing',
  15,
  '`missing` can only be asserted after `get`; after `insert`, assert `ok` or `error`.',
);
test(
  rejects,
  'insert 5 1 => 1',
  15,
  '`1` can only be asserted after `get`; after `insert`, assert `ok` or `error`.',
);
test(
  rejects,
  'delete 5 => "x y"',
  13,
  '`"x y"` can only be asserted after `get`; after `delete`, assert `ok` or `error`.',
);
test(
  rejects,
  'update 5 1 => stale 2',
  15,
  '`stale` can only be asserted after `get`; after `update`, assert `ok` or `error`.',
);
test(
  rejects,
  'kill 2 => repaired 2',
  11,
  '`repaired` can only be asserted after `get`; after `kill`, assert `ok` or `error`.',
);

const codes = Object.keys(errorCodes).join(', ');
test(
  rejects,
  'get 5 => error TIMOUT',
  16,
  `Unknown error code \`TIMOUT\` after \`error\`; did you mean \`TIMEOUT\`? Use one of ${codes}.`,
);
test(
  rejects,
  'get 5 => error NOPE_NOPE',
  16,
  `Unknown error code \`NOPE_NOPE\` after \`error\`; use one of ${codes}.`,
);

// Quoting errors.
test(rejects, 'insert 5 "abc', 10, 'Unterminated string; close it with `"`.');
test(
  rejects,
  'insert 5 "a\\n"',
  12,
  'Unknown escape `\\n` in a quoted string; only `\\"` and `\\\\` are escapes.',
);
test(
  rejects,
  'insert 5 "a\\',
  12,
  'Unknown escape `\\` in a quoted string; only `\\"` and `\\\\` are escapes.',
);
test(
  rejects,
  'insert 5 ab"c d"',
  12,
  'Unexpected `"` inside `ab`; put the whole value in double quotes and write an inner quote as `\\"`.',
);
test(
  rejects,
  'insert 5 "a"b',
  13,
  'Expected a space after the closing quote; put the whole value inside the quotes.',
);

test('parseLine keeps the line number it is given', (t) => {
  const result = parseLine('get 5 most', 42);
  t.false(result.ok);
  if (!result.ok) t.is(result.problem.line, 42);
  const good = parseLine('get 5', 9);
  t.is(good.ok && good.parsed?.line, 9);
});

test('parseScript reports every error of a script with its line number', (t) => {
  const script = [
    '# setup',
    'insert 5 1 one',
    'gte 5',
    '',
    'get 5 most => 1',
    '@2 get 5 & => 1, stale 3',
    'partition 1,2',
    'wait',
  ].join('\n');
  const { lines, problems } = parseScript(script);
  t.deepEqual(
    lines.map((parsed) => [parsed.line, parsed.command.kind]),
    [
      [2, 'insert'],
      [6, 'get'],
      [8, 'wait'],
    ],
  );
  t.deepEqual(
    problems.map((problem) => [problem.line, problem.col, problem.source]),
    [
      [3, 1, 'gte 5'],
      [5, 7, 'get 5 most => 1'],
      [7, 11, 'partition 1,2'],
    ],
  );
});

test('parseScript keeps the source of each line and handles CRLF and a byte order mark', (t) => {
  const { lines, problems } = parseScript('\uFEFFinsert 5 1\r\nget 5 => 1\r\n');
  t.deepEqual(problems, []);
  t.deepEqual(lines, [
    {
      line: 1,
      source: 'insert 5 1',
      command: { kind: 'insert', key: '5', value: '1' },
      background: false,
      assertions: [],
    },
    {
      line: 2,
      source: 'get 5 => 1',
      command: { kind: 'get', key: '5' },
      background: false,
      assertions: [{ kind: 'value', value: '1' }],
    },
  ]);
});

test('parseScript of an empty or comment-only file has no lines and no problems', (t) => {
  t.deepEqual(parseScript(''), { lines: [], problems: [] });
  t.deepEqual(parseScript('# only\n\n   # comments\n'), { lines: [], problems: [] });
});

test('formatProblem shows file:line:col, the source line and a caret', (t) => {
  const problem = { line: 3, col: 7, message: 'Unknown level `most`.', source: 'get 5 most' };
  t.is(
    formatProblem(problem, 'script.qt'),
    'script.qt:3:7: Unknown level `most`.\nget 5 most\n      ^',
  );
});

test('formatProblem keeps tabs so the caret lines up', (t) => {
  const problem = { line: 1, col: 4, message: 'Bad.', source: '\tx\ty' };
  t.is(formatProblem(problem, 'f'), 'f:1:4: Bad.\n\tx\ty\n\t \t^');
});

test('formatProblem puts the caret past the end for a missing argument', (t) => {
  const result = parseLine('insert 5', 2);
  if (result.ok) return t.fail();
  t.is(
    formatProblem(result.problem, 'b.txt'),
    'b.txt:2:9: Missing VALUE for `insert`; write `insert KEY VALUE [LEVEL]`, e.g. `insert 5 1 one`.\ninsert 5\n        ^',
  );
});

test('helpText lists every command with an example, in groups', (t) => {
  const help = helpText();
  const commands = [
    'insert',
    'update',
    'delete',
    'get',
    'use',
    'status',
    'show-all',
    'search',
    'explain',
    'help',
    'quit',
    'kill',
    'restart',
    'pause',
    'resume',
    'partition',
    'heal',
    'delay',
    'loss',
    'skew',
    'sleep',
    'wait',
  ];
  for (const command of commands) t.regex(help, new RegExp(`^  ${command}\\b`, 'm'), command);
  for (const title of ['Data:', 'Navigation and inspection:', 'Faults:', 'Flow', 'Assertions']) {
    t.true(help.includes(title), title);
  }
  t.true(help.includes('quit | exit'));
  t.true(help.includes('`&` goes before `=>`'));
});

test('every example in helpText parses', (t) => {
  // Wide enough that every row is on one line: usage, summary, example.
  const examples = helpText(1000)
    .split('\n')
    .filter((row) => row.startsWith('  ') && !row.includes('COMMAND') && !row.includes('# TEXT'))
    .map((row) => row.split(/\s{2,}/).at(-1) ?? '');
  t.true(examples.length > 20);
  for (const example of examples) t.true(parseLine(example, 1).ok, example);
});

// Properties.
const checkNeverThrows = (source: string): boolean => {
  const result = parseLine(source, 1);
  if (result.ok) return true;
  const { col, line } = result.problem;
  return line === 1 && col >= 1 && col <= source.length + 1 && result.problem.source === source;
};

test('parseLine never throws on arbitrary strings', (t) => {
  t.notThrows(() => {
    fc.assert(fc.property(fc.string(), checkNeverThrows), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'binary' }), checkNeverThrows), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), checkNeverThrows), { numRuns: 1000 });
  });
});

test('parseLine never throws on lines made of grammar pieces', (t) => {
  const piece = fc.constantFrom(
    'insert',
    'get',
    'delete',
    'partition',
    'delay',
    'loss',
    'wait',
    'sleep',
    '@2',
    '@',
    '&',
    '=>',
    ',',
    '|',
    '"',
    '\\',
    '#',
    'one',
    'all',
    '5',
    '0',
    '1->2',
    '10%',
    '50ms',
    'stale',
    'error',
    'ok',
    'missing',
    '"a b"',
    ' ',
    '\t',
  );
  const line = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));
  const spaced = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(' '));
  t.notThrows(() => {
    fc.assert(fc.property(fc.oneof(line, spaced), checkNeverThrows), { numRuns: 5000 });
  });
});

test('any value survives quoting with escapes', (t) => {
  t.notThrows(() => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const quoted = `"${value.replace(/[\\"]/g, '\\$&')}"`;
        const result = parseLine(`insert k ${quoted} one`, 1);
        return (
          result.ok &&
          result.parsed?.command.kind === 'insert' &&
          result.parsed.command.value === value &&
          result.parsed.command.level === 'one'
        );
      }),
      { numRuns: 1000 },
    );
  });
});
