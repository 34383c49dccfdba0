import test from 'ava';
import type { QuartetClient } from '../../src/client/client.js';
import { startTestCluster } from '../helpers/cluster.js';

interface Outcome {
  victimAcked: number;
  lostOnVictim: number;
}

/**
 * The crash test behind the durability trade-off: quorum writes stream through node 1, the
 * victim is SIGKILLed mid-stream and restarted, and we count the writes the victim itself had
 * acknowledged that it no longer holds (before any repair or hint could restore them).
 */
async function crashAndCount(
  client: QuartetClient,
  kill: () => Promise<void>,
  restart: () => Promise<QuartetClient>,
  victim: number,
  keys: string[],
): Promise<Outcome> {
  const ackedByVictim: string[] = [];
  let next = 0;
  let killing: Promise<void> | undefined;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      const result = await client.insert(key, `v-${key}`, 'quorum').catch(() => undefined);
      if (result?.replicas.some((r) => r.node === victim && r.state === 'fresh'))
        ackedByVictim.push(key);
      if (next === Math.floor(keys.length / 2)) killing ??= kill();
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  await killing;
  const restarted = await restart();
  let lost = 0;
  for (const key of ackedByVictim) if ((await restarted.local(key))?.value !== `v-${key}`) lost++;
  return { victimAcked: ackedByVictim.length, lostOnVictim: lost };
}

const modes = [
  { name: 'durability sync', config: { durability: 'sync' }, inMemory: false, mayLose: false },
  { name: 'durability batch', config: { durability: 'batch' }, inMemory: false, mayLose: false },
  { name: 'durability none', config: { durability: 'none' }, inMemory: false, mayLose: true },
  { name: 'the in-memory store', config: {}, inMemory: true, mayLose: true },
] as const;

for (const mode of modes) {
  const claim = mode.mayLose
    ? 'may lose writes it acknowledged (the trade-off, measured)'
    : 'keeps every write it acknowledged';
  test.serial(`a replica SIGKILLed under ${mode.name} ${claim}`, async (t) => {
    const victim = 2;
    const cluster = await startTestCluster(
      t,
      { ...mode.config, maxHintWindowMs: 0 },
      { inMemory: mode.inMemory },
    );
    const keys = Array.from({ length: 3000 }, (_, i) => `crash-${i}`).filter((key) =>
      cluster.ring.replicasFor(key).includes(victim),
    );
    const outcome = await crashAndCount(
      await cluster.client(1),
      () => cluster.kill(victim),
      async () => {
        await cluster.restart(victim);
        return cluster.client(victim);
      },
      victim,
      keys,
    );
    t.log(
      `${mode.name}: the victim acknowledged ${outcome.victimAcked} writes and lost ${outcome.lostOnVictim} of them`,
    );
    t.true(outcome.victimAcked > 0);
    if (!mode.mayLose) t.is(outcome.lostOnVictim, 0);
    if (mode.inMemory)
      t.is(outcome.lostOnVictim, outcome.victimAcked, 'memory keeps nothing across a crash');
  });
}
