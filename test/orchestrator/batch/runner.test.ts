import test from 'ava';
import { keyWhere, kv, runText, startSharedCluster, type SharedCluster } from './helpers.js';

// One cluster for every test here: each test uses its own keys and undoes its faults.
let shared: SharedCluster;

test.before(async () => {
  shared = await startSharedCluster();
});

test.after.always(async () => {
  await shared?.stop();
});

const long = 'k'.repeat(20); // over the config's keyBytesMax of 16: TOO_LARGE

test.serial('value, missing, ok and error assertions hold when the record agrees', async (t) => {
  const { result, reporter } = await runText(
    shared.cluster,
    kv`
      insert held v1 all      => ok
      get held all            => v1
      get held one            => v1, ok
      get never-written all   => missing
      get ${long} all         => error
      get ${long} one         => error TOO_LARGE
    `,
  );
  t.deepEqual(
    reporter.lines.map((line) => line.assertions.every((a) => a.ok)),
    [true, true, true, true, true, true],
  );
  t.deepEqual(result.summary.assertions, { passed: 7, failed: 0 });
  t.true(result.summary.ok);
});

test.serial('each assertion kind fails with what was seen, and the file runs on', async (t) => {
  const key = keyWhere(shared.cluster.ring, 'seen', (replicas) => replicas.includes(2));
  const { result, reporter } = await runText(
    shared.cluster,
    kv`
      insert ${key} v1 all        => error
      get ${key} all              => v2
      get ${key} all              => missing
      get ${long} all             => ok
      get ${long} all             => error UNAVAILABLE
      get absent all              => v1
      get ${key} all              => stale 2
      get ${key} all              => repaired 2
      get ${key} all              => v1
    `,
  );
  const messages = reporter.lines.map((line) => line.assertions[0]?.message);
  t.deepEqual(messages.slice(0, 6), [
    'expected an error, the command succeeded',
    'expected "v2", read "v1"',
    'expected missing, read "v1"',
    `expected ok, the command failed with TOO_LARGE: ${reporter.at(4).record.error?.message}`,
    `expected error UNAVAILABLE, got TOO_LARGE: ${reporter.at(5).record.error?.message}`,
    'expected "v1", read nothing (not found)',
  ]);
  t.is(
    messages[6],
    'n2 answered fresh, and no read repair was sent to it: its answer was as new as the newest',
  );
  t.is(messages[7], 'the read finished without repairing n2 (it answered fresh)');
  t.true(reporter.at(9).assertions[0]!.ok, 'the last line ran after eight failures');
  t.deepEqual(result.summary.assertions, { passed: 1, failed: 8 });
  t.false(result.summary.ok);
});

test.serial(
  'a command that fails on a line asserting nothing is an unexpected error',
  async (t) => {
    const { result, reporter } = await runText(
      shared.cluster,
      `get ${long} all\nget ${long} all => error\n`,
    );
    t.is(reporter.at(1).unexpectedError?.code, 'TOO_LARGE');
    t.is(reporter.at(2).unexpectedError, undefined);
    t.is(result.summary.unexpectedErrors, 1);
    t.deepEqual(result.summary.assertions, { passed: 1, failed: 0 });
    t.false(result.summary.ok);
  },
);

test.serial('a replica that lost a write is stale in a read at one, then repaired', async (t) => {
  const key = keyWhere(shared.cluster.ring, 'lost', (r) => r.includes(2) && r.includes(1));
  const { result, reporter } = await runText(
    shared.cluster,
    kv`
      insert ${key} old all           => ok
      loss 1->2 100%
      update ${key} new quorum        => ok
      loss 1->2 0%
      @2 get ${key} one               => old, stale 2, repaired 2
      wait repairs
      @2 get ${key} one               => new
    `,
  );
  t.true(result.summary.ok, JSON.stringify(reporter.lines.flatMap((l) => l.assertions)));
  t.is(reporter.at(2).record.ok, true);
  t.true(result.summary.messagesDropped >= 1, 'the write to node 2 was dropped');
  const read = result.summary.levels.find((level) => level.level === 'one')!;
  t.is(read.staleReads, 1, 'the late answers found node 2 behind');
  t.is(read.repairsApplied, 1);
  t.deepEqual(
    reporter.events.filter((event) => event.startsWith('repair')),
    ['repair 5 n2'],
    'the repair is shown after the read that caused it',
  );
  t.true(reporter.events.indexOf('repair 5 n2') > reporter.events.indexOf('line 5'));
});

test.serial('a line ending in & runs in the background and wait joins it', async (t) => {
  const ring = shared.cluster.ring;
  const slow = keyWhere(ring, 'slow', (r) => r.includes(3));
  const fast = keyWhere(ring, 'fast', (r) => !r.includes(3));
  const { result, reporter } = await runText(
    shared.cluster,
    kv`
      delay 1->3 700ms
      insert ${slow} s1 all &   => ok
      insert ${fast} f1 all     => ok
      wait
      get ${slow} one           => s1
      delay 1->3 0ms
    `,
  );
  t.true(result.summary.ok);
  const order = reporter.events.filter((event) => event.startsWith('line'));
  t.deepEqual(order, ['line 1', 'line 3', 'line 2', 'line 4', 'line 5', 'line 6']);
  // Timers and the link scheduler may deliver up to a millisecond early.
  t.true(reporter.at(2).record.latencyMs >= 695, 'the link delay held the write to node 3');
  t.true(reporter.at(3).record.latencyMs < 700, 'the next line did not wait for it');
});

test.serial('delay N sets the mean delay of messages to node N', async (t) => {
  const key = keyWhere(shared.cluster.ring, 'far', (r) => r.includes(4) && !r.includes(1));
  const { result, reporter } = await runText(
    shared.cluster,
    kv`
      delay 4 300ms
      get ${key} all => missing
      delay 4 0ms
      get ${key} all => missing
    `,
  );
  t.true(result.summary.ok);
  t.true(reporter.at(2).record.latencyMs >= 295);
  const messages = [1, 3].map((line) => {
    const record = reporter.at(line).record;
    return record.type === 'command' ? record.message : undefined;
  });
  t.deepEqual(messages, [
    'messages to node 4 now take 300 ms on average',
    'messages to node 4 now take 0 ms on average',
  ]);
});

test.serial(
  'kill makes `all` fail with UNAVAILABLE, quorum goes on, restart brings the node back',
  async (t) => {
    const key = keyWhere(shared.cluster.ring, 'crash', (r) => r.includes(3) && r.includes(1));
    const { result, reporter } = await runText(
      shared.cluster,
      kv`
      insert ${key} v1 all            => ok
      kill 3
      get ${key} all                  => error UNAVAILABLE
      get ${key} quorum               => v1
      update ${key} v2 quorum         => ok
      restart 3
      get ${key} all                  => v2
      wait repairs
      @3 get ${key} one               => v2
    `,
    );
    t.true(result.summary.ok, JSON.stringify(reporter.lines.flatMap((l) => l.assertions)));
    t.is(shared.cluster.info(3).state, 'up');
    t.regex(reporter.at(3).record.error?.message ?? '', /only 2 of 3/);
  },
);

test.serial('pause makes a read at all time out; resume brings the answers back', async (t) => {
  const key = keyWhere(shared.cluster.ring, 'nap', (r) => r.includes(3));
  const { result, reporter } = await runText(
    shared.cluster,
    kv`
      insert ${key} v all             => ok
      pause 3
      get ${key} all                  => error TIMEOUT
      get ${key} quorum               => v
      resume 3
      get ${key} all                  => v
    `,
  );
  t.true(result.summary.ok, JSON.stringify(reporter.lines.flatMap((l) => l.assertions)));
  t.true(reporter.at(3).record.latencyMs >= shared.cluster.config.requestTimeoutMs - 5);
  t.is(shared.cluster.info(3).state, 'up');
});

test.serial('partition cuts the cluster in two and heal joins it', async (t) => {
  const key = keyWhere(shared.cluster.ring, 'cut', (r) => r.includes(1));
  const { result, reporter } = await runText(
    shared.cluster,
    kv`
      insert ${key} before all        => ok
      partition 1 | 2,3,4
      get ${key} all                  => error TIMEOUT
      @2 update ${key} after quorum   => ok
      heal
      get ${key} all                  => after, stale 1, repaired 1
    `,
  );
  t.true(result.summary.ok, JSON.stringify(reporter.lines.flatMap((l) => l.assertions)));
  t.true(result.summary.messagesDropped > 0, 'messages across the cut were dropped');
});

test.serial('sleep waits the time it names', async (t) => {
  const { result, reporter } = await runText(shared.cluster, 'sleep 120ms => ok\n');
  t.true(result.summary.ok);
  // libuv rounds timer deadlines to whole milliseconds, so a timer may fire just under its time.
  t.true(reporter.at(1).record.latencyMs >= 118, `slept ${reporter.at(1).record.latencyMs} ms`);
});

test.serial(
  'skew N shifts node N’s clock: its later write loses to an earlier one, skew N 0 restores it',
  async (t) => {
    // Node 4 coordinates but is no replica: it never observes the key's timestamps. The sleep
    // outlasts the skew, so no timestamp node 4 observed before holds its clock up.
    const key = keyWhere(shared.cluster.ring, 'skew', (r) => !r.includes(4));
    const { result, reporter } = await runText(
      shared.cluster,
      kv`
      skew 4 -400ms
      sleep 450ms
      @1 insert ${key} first all      => ok
      @4 update ${key} second all     => ok
      get ${key} all                  => first
      skew 4 0
      @4 update ${key} third all      => ok
      get ${key} all                  => third
    `,
    );
    t.true(result.summary.ok, JSON.stringify(reporter.lines.flatMap((l) => l.assertions)));
    const outcome = (line: number) => reporter.at(line).record;
    const wallMs = (line: number) => {
      const record = outcome(line);
      return record.type === 'op' ? (record.ts?.wallMs ?? Number.NaN) : Number.NaN;
    };
    const behindMs = wallMs(3) - wallMs(4);
    t.true(behindMs > 300 && behindMs <= 400, `second was stamped ${behindMs} ms before first`);
    const messages = [1, 6].map((line) => {
      const record = outcome(line);
      return record.type === 'command' ? record.message : undefined;
    });
    t.deepEqual(messages, [
      "node 4's clock now reads 400 ms behind",
      "node 4's clock reads true time again",
    ]);
  },
);
