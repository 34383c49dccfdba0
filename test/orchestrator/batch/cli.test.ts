import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { quartetBin } from '../../../src/terminal/paths.js';
import { writeTestConfig } from '../../helpers/cluster.js';
import { isAlive, killAll, waitForExit } from '../../helpers/processes.js';
import { kv, writeFiles } from './helpers.js';
import { findAll, parseXml } from './xml.js';

interface JsonLine {
  type: string;
  file?: string;
  line?: number;
  ok?: boolean;
  seq?: number;
  replica?: number;
  applied?: boolean;
  assertions?: { text: string; ok: boolean; message?: string }[];
  assertionsSummary?: never;
  status?: { pid: number | null }[];
}

interface Summary {
  type: 'summary';
  file: string;
  ok: boolean;
  assertions: { passed: number; failed: number };
  unexpectedErrors: number;
  messagesPerOp: number | null;
}

function parseLines(stdout: string): JsonLine[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JsonLine);
}

const passing = kv`
  # every kind that can pass without a fault
  insert 5 one all  => ok
  get 5 all         => one
  get 6 one         => missing
  get ${'k'.repeat(1100)} one => error TOO_LARGE
`;

test('a file whose assertions hold exits 0 and prints a row per line and a summary', async (t) => {
  const { dir, configPath } = await writeTestConfig(t);
  const [file] = await writeFiles(dir, {
    'pass.kv': passing.replace(/get k+ one => error TOO_LARGE/, 'get 5 quorum => one'),
  });
  const result = await execa(quartetBin, ['run', file!, '--config', configPath, '--dir', dir], {
    reject: false,
    env: { NO_COLOR: '1' },
  });
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stdout, /▶ .*pass\.kv/);
  t.regex(result.stdout, /line │ node │ command/);
  t.regex(result.stdout, /\n 3 +│ n1 +│ get 5 +│ all +│ one .*│ ✔ one/);
  t.regex(result.stdout, /all levels │ 4 +│ 4 +│ 0/);
  t.regex(result.stdout, /assertions: 4 passed, 0 failed/);
  t.regex(result.stdout, /✔ PASS .*pass\.kv/);
});

test('a failed assertion or command exits 1; --json and --junit report every file with matching counts', async (t) => {
  const { dir, configPath } = await writeTestConfig(t);
  const failing = kv`
    insert 7 seven all  => ok
    get 7 all           => eight
    get 7 all           => seven, stale 2
    get ${'k'.repeat(2000)} one
    get 7 one           => seven
  `;
  const [first, second] = await writeFiles(dir, { 'a.kv': passing, 'b.kv': failing });
  const junit = join(dir, 'report.xml');
  const result = await execa(
    quartetBin,
    ['run', first!, second!, '--config', configPath, '--dir', dir, '--json', '--junit', junit],
    { reject: false },
  );
  t.is(result.exitCode, 1, result.stderr);
  const lines = parseLines(result.stdout);
  const summaries = lines.filter((line) => line.type === 'summary') as unknown as Summary[];
  t.deepEqual(
    summaries.map((s) => [s.file, s.ok, s.assertions, s.unexpectedErrors]),
    [
      [first, true, { passed: 4, failed: 0 }, 0],
      [second, false, { passed: 3, failed: 2 }, 1],
    ],
  );
  const commands = lines.filter((line) => line.type === 'op' || line.type === 'command');
  t.is(commands.length, 9, 'a record per command line');
  t.true(commands.every((line) => Array.isArray(line.assertions) && typeof line.file === 'string'));
  const wrong = commands.find((line) => line.file === second && line.line === 2)!;
  t.deepEqual(wrong.assertions, [
    { text: 'eight', ok: false, message: 'expected "eight", read "seven"' },
  ]);

  const xml = parseXml(await readFile(junit, 'utf8'));
  t.is(xml.name, 'testsuites');
  const suites = findAll(xml, 'testsuite');
  t.deepEqual(
    suites.map((suite) => suite.attributes.name),
    [first, second],
  );
  for (const suite of suites) {
    const cases = findAll(suite, 'testcase');
    t.is(Number(suite.attributes.tests), cases.length);
    t.is(
      Number(suite.attributes.failures),
      cases.filter((c) => findAll(c, 'failure').length > 0).length,
    );
    t.is(
      Number(suite.attributes.errors),
      cases.filter((c) => findAll(c, 'error').length > 0).length,
    );
  }
  t.deepEqual(
    suites.map((suite) => [
      suite.attributes.tests,
      suite.attributes.failures,
      suite.attributes.errors,
    ]),
    [
      ['4', '0', '0'],
      ['6', '2', '1'],
    ],
  );
  t.is(xml.attributes.tests, '10');
  const failure = findAll(suites[1]!, 'failure')[0]!;
  t.is(
    failure.attributes.message,
    'line 2: get 7 all           => eight: `eight` did not hold: expected "eight", read "seven"',
  );
  t.regex(failure.text, /b\.kv:2: get 7 all +=> eight\n`eight` did not hold/);
  const error = findAll(suites[1]!, 'error')[0]!;
  t.is(error.attributes.type, 'TOO_LARGE');
});

test('syntax errors in any file exit 2, all of them shown with a caret, and nothing runs', async (t) => {
  const { dir, configPath } = await writeTestConfig(t);
  const [good, bad] = await writeFiles(dir, {
    'good.kv': passing,
    'bad.kv': 'insert 5 1\nget 5 al => 1\n\n@9 get 5\nfrobnicate\n',
  });
  const result = await execa(
    quartetBin,
    ['run', good!, bad!, '--config', configPath, '--dir', dir],
    {
      reject: false,
    },
  );
  t.is(result.exitCode, 2);
  t.is(result.stdout, '');
  t.regex(result.stderr, new RegExp(`${bad}:2:7: .*\\nget 5 al => 1\\n {6}\\^`));
  t.regex(result.stderr, new RegExp(`${bad}:4:2: There is no node 9`));
  t.regex(result.stderr, new RegExp(`${bad}:5:1: Unknown command \`frobnicate\``));
  t.regex(result.stderr, /3 problems found; nothing was run\./);
  t.notRegex(result.stderr, /nodes up/);
});

test('usage and config errors exit 2', async (t) => {
  const { dir, configPath } = await writeTestConfig(t);
  const [file] = await writeFiles(dir, { 'f.kv': passing, 'bad.json': '{"servers": []}' });
  const runs = await Promise.all([
    execa(quartetBin, ['run'], { reject: false }),
    execa(quartetBin, ['run', join(dir, 'missing.kv'), '--config', configPath], { reject: false }),
    execa(quartetBin, ['run', file!, '--config', join(dir, 'bad.json')], { reject: false }),
    execa(quartetBin, ['run', file!, '--config', configPath, '--seed', 'x'], { reject: false }),
    execa(quartetBin, ['run', '-', '-', '--config', configPath], { reject: false, input: '' }),
    execa(
      quartetBin,
      ['run', file!, '--config', configPath, '--junit', join(dir, 'no/such/dir/r.xml')],
      { reject: false },
    ),
  ]);
  t.deepEqual(
    runs.map((run) => run.exitCode),
    [2, 2, 2, 2, 2, 2],
  );
  t.regex(runs[1]!.stderr, /error USAGE: Cannot read the batch file .*missing\.kv/);
  t.regex(runs[2]!.stderr, /error BAD_CONFIG: /);
  t.regex(runs[4]!.stderr, /read only once/);
  t.regex(runs[5]!.stderr, /JUnit report/);
});

test('`-` reads the batch file from standard input', async (t) => {
  const { dir, configPath } = await writeTestConfig(t);
  const result = await execa(
    quartetBin,
    ['run', '-', '--config', configPath, '--dir', dir, '--json'],
    {
      reject: false,
      input: 'insert 1 a all => ok\nget 1 one => a\n',
    },
  );
  t.is(result.exitCode, 0, result.stderr);
  const summary = parseLines(result.stdout).at(-1) as unknown as Summary;
  t.is(summary.file, '-');
  t.deepEqual(summary.assertions, { passed: 2, failed: 0 });
});

test('SIGTERM stops the run and every node it started', async (t) => {
  const { dir, configPath } = await writeTestConfig(t);
  const run = execa(quartetBin, ['run', '-', '--config', configPath, '--dir', dir, '--json'], {
    reject: false,
    input: 'status\nsleep 30s\n',
  });
  const pids: number[] = [];
  t.teardown(() => {
    run.kill('SIGKILL');
    killAll(pids);
  });
  const status = await new Promise<JsonLine>((resolve, reject) => {
    let buffered = '';
    run.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n').slice(0, -1);
      const line = complete.find((l) => l.includes('"op":"status"'));
      if (line !== undefined) resolve(JSON.parse(line) as JsonLine);
    });
    void run.then((result) => reject(new Error(`the run ended early: ${result.stderr}`)));
  });
  pids.push(...status.status!.map((node) => node.pid!));
  t.is(pids.length, 4);
  t.true(pids.every(isAlive));
  run.kill('SIGTERM');
  const result = await run;
  t.is(result.exitCode, 143);
  await waitForExit(pids);
  t.true(pids.every((pid) => !isAlive(pid)));
});

test('--report is refused with USAGE for several files, with --attach, and where its folder is missing', async (t) => {
  const { configPath, dir } = await writeTestConfig(t);
  const [a, b] = await writeFiles(dir, { 'a.kv': 'get 1 one\n', 'b.kv': 'get 2 one\n' });
  const base = ['--config', configPath, '--dir', dir];
  const cases: [string[], RegExp][] = [
    [
      ['run', a!, b!, ...base, '--report', join(dir, 'r.html')],
      /--report shows one batch file .*got 2 files/,
    ],
    [
      ['run', a!, '--config', configPath, '--attach', '--report', join(dir, 'r.html')],
      /--report needs nodes this run starts/,
    ],
    [
      ['run', a!, ...base, '--report', join(dir, 'no', 'r.html')],
      /Cannot write the report .*its folder does not exist/,
    ],
  ];
  for (const [args, message] of cases) {
    const run = await execa(quartetBin, args, { reject: false });
    t.is(run.exitCode, 2, run.stderr);
    t.regex(run.stderr, new RegExp(`^error USAGE: ${message.source}`));
  }
});
