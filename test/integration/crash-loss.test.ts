import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import type { QuartetClient } from '../../src/client/client.js';
import { noneCommitDelayMs } from '../../src/core/durability.js';
import { startTestCluster } from '../helpers/cluster.js';

/** Writes in flight at once on the connection to the victim: thousands a second reach it. */
const writesInFlight = 1_024;
/** Keys considered; about three in four have the victim among their replicas. */
const candidateKeys = 12_000;
/** Local reads in flight at once when counting what the restarted victim kept. */
const readsInFlight = 512;
/**
 * The quiet gap before the burst: two `none` commit windows, so every earlier write is committed
 * and the burst's first write starts a fresh window. This is the window under test, not a wait
 * for something that could be awaited.
 */
const quietMs = 2 * noneCommitDelayMs;

interface Outcome {
  victimAcked: number;
  lostOnVictim: number;
  /** Writes the victim acknowledged per second in the stream before the burst. */
  victimAcksPerSecond: number;
}

/**
 * Streams `keys` into the victim at `one`, `writesInFlight` at a time, so each acknowledgement
 * the client sees is the victim's own. Calls `onAck` for each write the victim acknowledged.
 */
function stream(
  client: QuartetClient,
  victim: number,
  keys: string[],
  onAck: (key: string) => void,
) {
  return new Promise<void>((resolve) => {
    let next = 0;
    let active = 0;
    const issue = () => {
      // The victim's connection closes at the kill: its requests fail at once, so stop there.
      if (next === keys.length || client.closed) {
        if (--active === 0) resolve();
        return;
      }
      const key = keys[next++]!;
      client.submitPut('insert', key, `v-${key}`, 'one', (error, result) => {
        if (
          error === undefined &&
          result!.replicas.some((r) => r.node === victim && r.state === 'fresh')
        )
          onAck(key);
        issue();
      });
    };
    for (; active < writesInFlight && active < keys.length; active++) issue();
  });
}

/**
 * The crash test behind the durability trade-off: writes stream into the victim; after a quiet
 * gap a burst follows and the victim is SIGKILLed at the burst's first acknowledgement, inside
 * the commit window `none` leaves open; then it restarts and we count the writes it had
 * acknowledged that it no longer holds (before any repair or hint could restore them).
 */
async function crashAndCount(
  client: QuartetClient,
  kill: () => Promise<void>,
  restart: () => Promise<QuartetClient>,
  victim: number,
  keys: string[],
): Promise<Outcome> {
  const acked: string[] = [];
  const half = Math.floor(keys.length / 2);
  const startedMs = performance.now();
  await stream(client, victim, keys.slice(0, half), (key) => acked.push(key));
  const streamedAcks = acked.length;
  const victimAcksPerSecond = Math.round(streamedAcks / ((performance.now() - startedMs) / 1000));
  await sleep(quietMs);
  let killing: Promise<void> | undefined;
  await stream(client, victim, keys.slice(half), (key) => {
    acked.push(key);
    killing ??= kill();
  });
  await killing;
  const restarted = await restart();
  let lost = 0;
  for (let from = 0; from < acked.length; from += readsInFlight) {
    const batch = acked.slice(from, from + readsInFlight);
    const held = await Promise.all(batch.map((key) => restarted.local(key)));
    batch.forEach((key, i) => {
      if (held[i]?.value !== `v-${key}`) lost++;
    });
  }
  return { victimAcked: acked.length, lostOnVictim: lost, victimAcksPerSecond };
}

const modes = [
  { name: 'durability sync', config: { durability: 'sync' }, inMemory: false, loses: 'nothing' },
  { name: 'durability batch', config: { durability: 'batch' }, inMemory: false, loses: 'nothing' },
  { name: 'durability none', config: { durability: 'none' }, inMemory: false, loses: 'some' },
  { name: 'the in-memory store', config: {}, inMemory: true, loses: 'all' },
] as const;

const claims = {
  nothing: 'keeps every write it acknowledged',
  some: 'loses the writes of its last commit window',
  all: 'loses every write it acknowledged',
};

for (const mode of modes) {
  test.serial(`a replica SIGKILLed under ${mode.name} ${claims[mode.loses]}`, async (t) => {
    const victim = 2;
    const cluster = await startTestCluster(
      t,
      { ...mode.config, maxHintWindowMs: 0 },
      { inMemory: mode.inMemory },
    );
    const keys = Array.from({ length: candidateKeys }, (_, i) => `crash-${i}`).filter((key) =>
      cluster.ring.replicasFor(key).includes(victim),
    );
    const outcome = await crashAndCount(
      await cluster.client(victim),
      () => cluster.kill(victim),
      async () => {
        await cluster.restart(victim);
        return cluster.client(victim);
      },
      victim,
      keys,
    );
    t.log(
      `${mode.name}: the victim acknowledged ${outcome.victimAcked} writes (${outcome.victimAcksPerSecond}/s in the stream) and lost ${outcome.lostOnVictim} of them`,
    );
    t.true(outcome.victimAcked > keys.length / 4, 'the stream hardly reached the victim');
    if (mode.loses === 'nothing') t.is(outcome.lostOnVictim, 0);
    if (mode.loses === 'some') {
      t.true(
        outcome.lostOnVictim > 0,
        'durability none lost nothing: the test cannot see its window',
      );
      t.true(outcome.lostOnVictim < outcome.victimAcked, 'durability none lost everything');
    }
    if (mode.loses === 'all')
      t.is(outcome.lostOnVictim, outcome.victimAcked, 'memory keeps nothing across a crash');
  });
}
