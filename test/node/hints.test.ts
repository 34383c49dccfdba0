import test, { type ExecutionContext } from 'ava';
import { QuartetError } from '../../src/core/errors.js';
import type { Version } from '../../src/core/version.js';
import type { WriteAck } from '../../src/node/coordinator-host.js';
import {
  HintedHandoff,
  hintsPerNodeMax,
  MemoryHintTable,
  type HandoffOptions,
  type HintTable,
} from '../../src/node/hints.js';
import { LmdbHintTable } from '../../src/node/storage/lmdb-hint-table.js';
import { LmdbStore } from '../../src/node/storage/lmdb-store.js';
import { value } from '../core/arbitraries.js';
import { createRecordingLogger, makeTempDir, type RecordingLogger } from './helpers.js';

const hintWindowMs = 60_000;
const applied: WriteAck = { created: true, applied: true };

interface Sent {
  target: number;
  key: string;
  version: Version;
}

interface Handoff {
  handoff: HintedHandoff;
  table: HintTable;
  logger: RecordingLogger;
  sent: Sent[];
  /** Replaces how a hint is sent; the default accepts every hint. */
  sendWith(send: HandoffOptions['send']): void;
}

function makeHandoff(table: HintTable, maxHintWindowMs = hintWindowMs): Handoff {
  const logger = createRecordingLogger();
  const sent: Sent[] = [];
  let send: HandoffOptions['send'] = async () => applied;
  const handoff = new HintedHandoff({
    table,
    maxHintWindowMs,
    logger,
    send: (target, key, version) => {
      sent.push({ target, key, version });
      return send(target, key, version);
    },
  });
  return { handoff, table, logger, sent, sendWith: (next) => (send = next) };
}

function storeHints(handoff: HintedHandoff, target: number, count: number, nowMs = 0): void {
  for (let i = 0; i < count; i++) handoff.store(target, `key-${i}`, value(`v${i}`, i + 1), nowMs);
}

const keysOf = (sent: Sent[]) => sent.map((hint) => hint.key);
const keyRange = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `key-${from + i}`);

// The one suite both hint tables pass: the handoff must behave the same over either.
function testHandoff(name: string, makeTable: (t: ExecutionContext) => Promise<HintTable>): void {
  const title = (behaviour: string) => `${name}: ${behaviour}`;
  const setup = async (t: ExecutionContext, maxHintWindowMs?: number) =>
    makeHandoff(await makeTable(t), maxHintWindowMs);

  test(title('counts the hints it keeps for each node'), async (t) => {
    const { handoff } = await setup(t);
    storeHints(handoff, 4, 1);
    storeHints(handoff, 2, 3);
    t.is(handoff.pending(2), 3);
    t.is(handoff.pending(4), 1);
    t.is(handoff.pending(3), 0);
    t.deepEqual(handoff.pendingByTarget(), [
      { node: 2, hints: 3 },
      { node: 4, hints: 1 },
    ]);
  });

  test(
    title('replays a node’s hints in the order they were stored, then forgets them'),
    async (t) => {
      const { handoff, table, logger, sent } = await setup(t);
      storeHints(handoff, 2, 150);
      storeHints(handoff, 3, 5);
      t.deepEqual(await handoff.replay(2, 1_000), { delivered: 150, expired: 0, refused: 0 });
      t.deepEqual(keysOf(sent), keyRange(0, 150));
      t.true(sent.every((hint) => hint.target === 2));
      t.deepEqual(sent[7]?.version, value('v7', 8));
      t.is(handoff.pending(2), 0);
      t.is(handoff.pending(3), 5);
      t.deepEqual(handoff.pendingByTarget(), [{ node: 3, hints: 5 }]);
      t.deepEqual(
        [...table.entries()].map(([, hint]) => hint.target),
        [3, 3, 3, 3, 3],
      );
      t.true(logger.lines.some((line) => line.message.includes('150 delivered, 0 expired')));
    },
  );

  test(title('replays a hint it stored a moment ago'), async (t) => {
    const { handoff, sent } = await setup(t);
    handoff.store(2, 'k', value('just now', 1), 0);
    t.deepEqual(await handoff.replay(2, 0), { delivered: 1, expired: 0, refused: 0 });
    t.deepEqual(sent, [{ target: 2, key: 'k', version: value('just now', 1) }]);
  });

  test(title('keeps the hints a failed send left for the next replay'), async (t) => {
    const { handoff, sent, sendWith } = await setup(t);
    storeHints(handoff, 2, 200);
    sendWith(async (_target, key) => {
      if (key === 'key-10') throw new Error('node 2 stopped answering');
      return applied;
    });
    const first = await handoff.replay(2, 0);
    const deliveredFirst = new Set(keysOf(sent).filter((key) => key !== 'key-10'));
    t.deepEqual(first, { delivered: deliveredFirst.size, expired: 0, refused: 0 });
    t.true(first.delivered < 199, 'the replay stops after the failure');
    t.is(handoff.pending(2), 200 - first.delivered);
    sendWith(async () => applied);
    sent.length = 0;
    t.deepEqual(await handoff.replay(2, 0), {
      delivered: 200 - first.delivered,
      expired: 0,
      refused: 0,
    });
    t.deepEqual(
      keysOf(sent),
      keyRange(0, 200).filter((key) => !deliveredFirst.has(key)),
    );
    t.is(handoff.pending(2), 0);
  });

  test(
    title('drops, with a warning, a hint its replica refuses for clock skew, and goes on'),
    async (t) => {
      const { handoff, table, logger, sent, sendWith } = await setup(t);
      storeHints(handoff, 2, 3);
      sendWith(async (_target, key) => {
        if (key !== 'key-1') return applied;
        throw new QuartetError('CLOCK_SKEW', 'Refused a version node 1 stamped 10 s ahead.');
      });
      t.deepEqual(await handoff.replay(2, 0), { delivered: 2, expired: 0, refused: 1 });
      t.deepEqual(keysOf(sent), keyRange(0, 3));
      t.is(handoff.pending(2), 0);
      t.is([...table.entries()].length, 0);
      t.true(
        logger.lines.some(
          (line) =>
            line.level === 'warn' && /dropped the hint of "key-1".*10 s ahead/.test(line.message),
        ),
      );
    },
  );

  test(title('drops hints older than the hint window instead of replaying them'), async (t) => {
    const { handoff, sent } = await setup(t, 1_000);
    handoff.store(2, 'stale-1', value('a', 1), 0);
    handoff.store(2, 'stale-2', value('b', 1), 0);
    handoff.store(2, 'fresh', value('c', 1), 5_000);
    t.deepEqual(await handoff.replay(2, 5_500), { delivered: 1, expired: 2, refused: 0 });
    t.deepEqual(keysOf(sent), ['fresh']);
    t.is(handoff.pending(2), 0);
  });

  test(title('still replays a hint exactly as old as the hint window'), async (t) => {
    const { handoff } = await setup(t, 1_000);
    handoff.store(2, 'k', value('a', 1), 0);
    t.deepEqual(await handoff.replay(2, 1_000), { delivered: 1, expired: 0, refused: 0 });
  });

  test(title('does not start a second replay to a node while one is running'), async (t) => {
    const { handoff, sendWith } = await setup(t);
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    sendWith(async () => {
      await released;
      return applied;
    });
    storeHints(handoff, 2, 3);
    const first = handoff.replay(2, 0);
    t.deepEqual(await handoff.replay(2, 0), { delivered: 0, expired: 0, refused: 0 });
    release();
    t.deepEqual(await first, { delivered: 3, expired: 0, refused: 0 });
  });

  test(title('keeps at most the per-node bound, dropping the oldest with a warning'), async (t) => {
    const { handoff, logger, sent } = await setup(t);
    storeHints(handoff, 2, hintsPerNodeMax + 2);
    storeHints(handoff, 3, 1);
    t.is(handoff.pending(2), hintsPerNodeMax);
    t.is(handoff.pending(3), 1);
    const warnings = logger.lines.filter((line) => line.level === 'warn');
    t.is(warnings.length, 2);
    t.regex(warnings[0]!.message, /dropped the oldest.*node 2|node 2.*dropped the oldest/);
    t.deepEqual(await handoff.replay(2, 0), { delivered: hintsPerNodeMax, expired: 0, refused: 0 });
    t.deepEqual(keysOf(sent.slice(0, 2)), ['key-2', 'key-3']);
    t.is(sent.at(-1)?.key, `key-${hintsPerNodeMax + 1}`);
  });
}

testHandoff('memory hints', async () => new MemoryHintTable());

async function openLmdb(t: ExecutionContext): Promise<() => LmdbStore> {
  const dir = await makeTempDir(t, 'hints');
  const opened: LmdbStore[] = [];
  t.teardown(async () => {
    for (const store of opened) await store.close();
  });
  return () => {
    const store = new LmdbStore(dir, 'batch');
    opened.push(store);
    return store;
  };
}

testHandoff('lmdb hints', async (t) => new LmdbHintTable((await openLmdb(t))()));

test('lmdb hints: finds its hints again after the coordinator restarts', async (t) => {
  const open = await openLmdb(t);
  const firstStore = open();
  const before = makeHandoff(new LmdbHintTable(firstStore));
  storeHints(before.handoff, 2, 40);
  storeHints(before.handoff, 3, 2);
  await firstStore.close();

  const after = makeHandoff(new LmdbHintTable(open()));
  t.is(after.handoff.pending(2), 40);
  t.deepEqual(
    after.handoff.newestAtOpen,
    value('v39', 40).ts,
    'the newest hinted timestamp, for the clock',
  );
  t.deepEqual(after.handoff.pendingByTarget(), [
    { node: 2, hints: 40 },
    { node: 3, hints: 2 },
  ]);
  after.handoff.store(2, 'after-restart', value('new', 99), 0);
  t.deepEqual(await after.handoff.replay(2, 0), { delivered: 41, expired: 0, refused: 0 });
  t.deepEqual(keysOf(after.sent), [...keyRange(0, 40), 'after-restart']);
  t.deepEqual(after.sent[5]?.version, value('v5', 6));
});

test('lmdb hints: does not replay again after a restart what it delivered before', async (t) => {
  const open = await openLmdb(t);
  const firstStore = open();
  const before = makeHandoff(new LmdbHintTable(firstStore));
  storeHints(before.handoff, 2, 10);
  await before.handoff.replay(2, 0);
  await firstStore.close();

  const after = makeHandoff(new LmdbHintTable(open()));
  t.is(after.handoff.pending(2), 0);
  t.deepEqual(await after.handoff.replay(2, 0), { delivered: 0, expired: 0, refused: 0 });
});

test('a hint of a version stamped longer than the tombstone grace ago expires instead of replaying', async (t) => {
  const graceMs = 1000;
  const sent: string[] = [];
  const handoff = new HintedHandoff({
    table: new MemoryHintTable(),
    maxHintWindowMs: hintWindowMs,
    tombstoneGraceMs: graceMs,
    logger: createRecordingLogger(),
    send: async (_target, key) => {
      sent.push(key);
      return applied;
    },
  });
  const at = (wallMs: number) => ({ value: 'v', ts: { wallMs, counter: 0, nodeId: 1 } });
  // Both hints are young; the first holds a version stamped past the grace before the replay.
  handoff.store(2, 'old', at(1_000), 5_000);
  handoff.store(2, 'recent', at(4_500), 5_000);
  t.deepEqual(await handoff.replay(2, 5_100), { delivered: 1, expired: 1, refused: 0 });
  t.deepEqual(sent, ['recent']);
});
