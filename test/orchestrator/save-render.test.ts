import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { ReplicaState } from '../../src/core/messages.js';
import type { ClusterConfig } from '../../src/config/types.js';
import type { ParsedLine } from '../../src/orchestrator/commands.js';
import { helpText, parseLine, parseScript } from '../../src/orchestrator/grammar.js';
import type { CommandRecord, OpRecord } from '../../src/orchestrator/records.js';
import { saveSession } from '../../src/orchestrator/save-command.js';
import {
  promptPauseMsMin,
  promptRepairPauseMsMin,
  renderBatchFile,
} from '../../src/orchestrator/save-render.js';
import { SessionLog, sessionLogLinesMax } from '../../src/orchestrator/session-log.js';

const config = {
  servers: [1, 2, 3, 4].map((id) => ({
    id,
    host: '127.0.0.1',
    port: 10000 + id,
    delayMsMean: id === 2 ? 300 : 100,
  })),
  links: [],
  delayDistribution: 'uniform',
  replicationFactor: 3,
  defaultLevel: 'quorum',
} as unknown as ClusterConfig;

interface Ran {
  source: string;
  /** What the line returned; omitted: `ok` for a command. */
  result?: Partial<OpRecord> | Partial<CommandRecord>;
  replicas?: Record<number, ReplicaState>;
  repairs?: { replica: number; applied: boolean }[];
  /** Milliseconds the prompt waited before this line. */
  pauseMs?: number;
}

function parse(source: string): ParsedLine {
  const result = parseLine(source, 1);
  if (!result.ok || result.parsed === null) throw new Error(`does not parse: ${source}`);
  return result.parsed;
}

// A session log as the Session fills it, on a clock the test moves.
function logOf(lines: (Ran | { unparsed: string })[], firstNode = 1): SessionLog {
  let nowMs = 0;
  const log = new SessionLog(firstNode, () => nowMs);
  lines.forEach((line, index) => {
    const seq = index + 1;
    if ('unparsed' in line) return log.addUnparsed(line.unparsed, 'column 1: Unknown command');
    nowMs += line.pauseMs ?? 1;
    const parsed = parse(line.source);
    log.begin(seq, parsed);
    nowMs += 1;
    const node = parsed.node ?? firstNode;
    const replicas = Object.entries(line.replicas ?? {}).map(([id, state]) => ({
      node: Number(id),
      state,
    }));
    const { command } = parsed;
    const base = { seq, node, ok: true, latencyMs: 1 };
    if (
      command.kind === 'insert' ||
      command.kind === 'update' ||
      command.kind === 'delete' ||
      command.kind === 'get'
    ) {
      log.complete({
        type: 'op',
        ...base,
        op: command.kind,
        key: command.key,
        level: command.level ?? 'quorum',
        value: null,
        found: false,
        acks: 0,
        required: 0,
        replicas,
        ...(line.result as Partial<OpRecord>),
      });
    } else {
      log.complete({
        type: 'command',
        ...base,
        op: command.kind,
        ...(line.result as Partial<CommandRecord>),
      });
    }
    for (const repair of line.repairs ?? []) {
      log.addRepair({
        type: 'repair',
        seq,
        node,
        key: 'k',
        replica: repair.replica,
        to: { ms: 1, counter: 0, node: 1 } as never,
        applied: repair.applied,
      });
    }
  });
  return log;
}

function render(log: SessionLog): string[] {
  const { text } = renderBatchFile({
    log: log.snapshot(),
    config,
    configPath: 'configs/test.json',
    file: 'demo.kv',
    savedAt: new Date('2025-01-02T03:04:05Z'),
  });
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

const read = (value: string | null): Partial<OpRecord> =>
  value === null ? { found: false, value: null } : { found: true, value };

test('reads assert the value or missing, writes ok, failures their code; the file parses back', (t) => {
  const log = logOf([
    { source: 'insert 5 old all => ok   # a comment' },
    { source: '@2 get 5 one => new', result: read('old') },
    { source: 'get 6', result: read(null) },
    { source: 'delete 5', result: { ok: false, error: { code: 'TIMEOUT', message: 'late' } } },
    { source: 'insert 7 "two words"' },
    { source: 'get 7', result: read('two words') },
    { source: 'get 8', result: read('ok') },
    { source: 'get 9', result: read('say "hi" \\ bye, # =>') },
    { source: 'kill 2', result: { ok: false, error: { code: 'NODE_UNREACHABLE', message: 'x' } } },
    { source: 'insert 1 a &' },
  ]);
  const lines = render(log);
  t.deepEqual(lines, [
    'insert 5 old all                  => ok',
    '@2 get 5 one                      => old',
    'get 6                             => missing',
    'delete 5                          => error TIMEOUT',
    'insert 7 "two words"              => ok',
    'get 7                             => "two words"',
    'get 8                             => "ok"',
    'get 9                             => "say \\"hi\\" \\\\ bye, # =>"',
    'kill 2                            => error NODE_UNREACHABLE',
    'insert 1 a &                      => ok',
  ]);
  const script = parseScript(lines.join('\n'));
  t.deepEqual(script.problems, []);
  const values = script.lines.map((line) => line.assertions[0]);
  t.deepEqual(values[7], { kind: 'value', value: 'say "hi" \\ bye, # =>' });
  t.deepEqual(values[6], { kind: 'value', value: 'ok' });
});

test('stale and repaired are kept where a fault dropped the write, and noted where timing decided', (t) => {
  const log = logOf([
    { source: 'insert 5 old all' },
    { source: 'loss 1->2 100%' },
    { source: 'update 5 new quorum', replicas: { 1: 'fresh', 2: 'pending', 3: 'fresh' } },
    { source: 'loss 1->2 0%' },
    { source: '@2 get 5 one', result: read('old'), repairs: [{ replica: 2, applied: true }] },
    // A slow replica without a fault: whether a read sees it behind is timing.
    { source: 'update 5 newer quorum', replicas: { 1: 'fresh', 2: 'pending', 3: 'fresh' } },
    {
      source: '@2 get 5 all',
      result: read('newer'),
      replicas: { 1: 'fresh', 2: 'stale', 3: 'fresh' },
    },
    // After its read repair the first fact no longer holds.
    { source: 'loss 1->3 100%' },
    { source: 'update 6 x', replicas: { 1: 'fresh', 2: 'fresh', 3: 'pending' } },
    { source: 'loss 1->3 0%' },
    { source: 'restart 3' },
    { source: 'get 6 all', result: read('x'), repairs: [{ replica: 3, applied: true }] },
  ]);
  const lines = render(log);
  // Stale, but whether the repair or n1's hint (the link is open again) lands first is timing.
  t.is(lines[4], '@2 get 5 one                      => old, stale 2    # also saw repaired 2');
  t.is(lines[6], '@2 get 5 all                      => newer    # also saw stale 2');
  t.is(lines[11], 'get 6 all                         => x    # also saw stale 3, repaired 3');
});

test('a partition drops the write to the other side, so its stale read is kept', (t) => {
  const log = logOf([
    { source: 'partition 1,2 | 3,4' },
    { source: '@4 update 3 after quorum', replicas: { 1: 'pending', 3: 'fresh', 4: 'fresh' } },
    { source: 'heal' },
    {
      source: '@1 get 3 all',
      result: read('after'),
      replicas: { 1: 'stale', 3: 'fresh', 4: 'fresh' },
      repairs: [{ replica: 1, applied: false }],
    },
  ]);
  t.is(render(log)[3], '@1 get 3 all                      => after, stale 1');
});

test('after a heal the read repair races the hint, so only the stale read is kept', (t) => {
  const log = logOf([
    { source: 'partition 1,2 | 3,4' },
    { source: 'insert 5 2', replicas: { 1: 'fresh', 2: 'pending', 3: 'pending' } },
    { source: 'heal' },
    {
      source: 'get 5 all',
      result: read('2'),
      replicas: { 1: 'fresh', 2: 'fresh', 3: 'stale' },
      repairs: [{ replica: 3, applied: true }],
    },
  ]);
  t.is(render(log)[3], 'get 5 all                         => 2, stale 3    # also saw repaired 3');
  // While n1's link to n3 still drops, its hint stays put: n2's repair is what brings n3 up.
  const cut = logOf([
    { source: 'loss 1->3 100%' },
    { source: 'insert 5 2', replicas: { 1: 'fresh', 2: 'fresh', 3: 'pending' } },
    {
      source: '@2 get 5 all',
      result: read('2'),
      replicas: { 1: 'fresh', 2: 'fresh', 3: 'stale' },
      repairs: [{ replica: 3, applied: true }],
    },
  ]);
  t.is(render(cut)[2], '@2 get 5 all                      => 2, stale 3, repaired 3');
});

test('a wait after the heal lets the hint through, so the stale read is only noted', (t) => {
  const stale = {
    source: '@1 get 3 all',
    result: read('after'),
    replicas: { 1: 'stale', 3: 'fresh', 4: 'fresh' } as Record<number, ReplicaState>,
    repairs: [{ replica: 1, applied: false }],
  };
  const write = {
    source: '@4 update 3 after quorum',
    replicas: { 1: 'pending', 3: 'fresh', 4: 'fresh' } as Record<number, ReplicaState>,
  };
  const waited = logOf([
    { source: 'partition 1,2 | 3,4' },
    write,
    { source: 'heal' },
    { source: 'wait repairs' },
    stale,
  ]);
  t.is(render(waited)[4], '@1 get 3 all                      => after    # also saw stale 1');
  // The same pause at the prompt, which becomes `wait repairs` in the file.
  const paused = logOf([
    { source: 'partition 1,2 | 3,4' },
    write,
    { source: 'heal' },
    { ...stale, pauseMs: promptRepairPauseMsMin * 2 },
  ]);
  t.is(render(paused).at(-1), '@1 get 3 all                      => after    # also saw stale 1');
  // A wait while the partition still holds changes nothing: the hint cannot cross it.
  const cut = logOf([
    { source: 'partition 1,2 | 3,4' },
    write,
    { source: 'wait repairs' },
    { source: 'heal' },
    stale,
  ]);
  t.is(render(cut)[4], '@1 get 3 all                      => after, stale 1');
});

test('a pause at the prompt after a data command becomes a sleep as long, at most a round trip', (t) => {
  const log = logOf([
    { source: 'insert 5 a one' },
    { source: 'loss 1->2 100%', pauseMs: 123 },
    { source: 'loss 1->2 0%', pauseMs: 400 },
    { source: 'insert 5 b one', pauseMs: promptPauseMsMin - 10 },
    { source: 'partition 1 | 2,3,4', pauseMs: promptRepairPauseMsMin * 20 },
    { source: 'delay 1 3s' },
    { source: 'get 5 one' },
    { source: 'heal', pauseMs: 10_000 },
    { source: 'get 5 one' },
    { source: 'wait repairs', pauseMs: promptRepairPauseMsMin * 2 },
  ]);
  t.deepEqual(
    render(log).map((line) => line.replace(/\s+#.*/, '')),
    [
      'insert 5 a one                    => ok',
      'sleep 130ms',
      'loss 1->2 100%',
      'loss 1->2 0%',
      'insert 5 b one                    => ok',
      // The slowest round trip of the config: to node 2 and back, 2 × 300 + 2 × 100 ms.
      'sleep 800ms',
      'wait repairs',
      'partition 1 | 2,3,4',
      'delay 1 3s',
      'get 5 one                         => missing',
      // A `delay` of the session raises the bound: 3 s out and back.
      'sleep 6000ms',
      'wait repairs',
      'heal',
      'get 5 one                         => missing',
      'wait repairs',
    ],
  );
});

test('bad lines and inspection become comments; save, help, quit are left out', (t) => {
  const log = logOf(
    [
      { unparsed: 'frobnicate 5' },
      { source: 'status' },
      { source: 'search 5' },
      { source: 'help' },
      {
        source: 'use 9',
        result: { ok: false, error: { code: 'BAD_COMMAND', message: 'There is no node 9.' } },
      },
      { source: 'save a.kv' },
      { source: 'get 5', result: read('1') },
      { source: 'quit' },
    ],
    3,
  );
  const { text } = renderBatchFile({
    log: log.snapshot(),
    config,
    file: 'a.kv',
    savedAt: new Date(),
  });
  const body = text.split('\n\n')[1]!.trimEnd().split('\n');
  t.deepEqual(body, [
    'use 3                    # the session started at node 3',
    '# could not parse: frobnicate 5',
    '#   BAD_COMMAND column 1: Unknown command',
    '# status',
    '# search 5',
    '# use 9    # failed: BAD_COMMAND There is no node 9.',
    'get 5                             => 1',
  ]);
  t.deepEqual(parseScript(text).problems, []);
});

test('the log keeps its first lines up to its bound, and the file says how many it dropped', (t) => {
  const log = new SessionLog(1);
  const parsed = parse('sleep 1ms');
  for (let seq = 1; seq <= sessionLogLinesMax + 5; seq += 1) log.begin(seq, parsed);
  const snapshot = log.snapshot();
  t.is(snapshot.entries.length, sessionLogLinesMax);
  t.is(snapshot.dropped, 5);
  const { text } = renderBatchFile({ log: snapshot, config, file: 'a.kv', savedAt: new Date() });
  t.regex(text, /# 5 later lines are not here/);
});

test('save refuses to overwrite a file without force and names a missing folder', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-save-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'a.kv');
  await writeFile(file, 'kept\n');
  const log = logOf([{ source: 'insert 5 a' }]).snapshot();
  const save = (path: string, force: boolean) =>
    saveSession({ command: { kind: 'save', path, force }, log, config });
  const exists = await t.throwsAsync(save(file, false));
  t.is((exists as { code?: string }).code, 'SAVE_FAILED');
  t.regex(exists!.message, /exists; write `save .* force`/);
  t.is(await readFile(file, 'utf8'), 'kept\n');
  const missing = await t.throwsAsync(save(join(dir, 'no', 'b.kv'), false));
  t.regex(missing!.message, /^Cannot save to .*: the folder .* does not exist/);
  const saved = await save(file, true);
  t.regex(saved.message, /^saved 1 lines to /);
  t.regex(await readFile(file, 'utf8'), /^insert 5 a\s+=> ok$/m);
});

test('save takes FILE.kv and an optional force; other names and options are refused', (t) => {
  t.regex(helpText(), /save FILE\.kv \[force\]\s+write the session as a batch file/);
  t.like(parse('save demo.kv').command, { kind: 'save', path: 'demo.kv', force: false });
  t.like(parse('save "my demo.kv" FORCE').command, {
    kind: 'save',
    path: 'my demo.kv',
    force: true,
  });
  for (const [source, message] of [
    ['save demo.txt', /name ending in `\.kv`/],
    ['save demo.kv now', /Unknown `save` option `now`/],
    ['save', /Missing FILE\.kv/],
  ] as const) {
    const result = parseLine(source, 1);
    t.false(result.ok, source);
    if (!result.ok) t.regex(result.problem.message, message);
  }
});
