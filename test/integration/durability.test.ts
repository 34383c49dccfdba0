import { statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import type { QuartetClient } from '../../src/client/client.js';
import type { AntiEntropyReport, NodeStats } from '../../src/core/messages.js';
import type { Cluster } from '../../src/launcher/cluster.js';
import { quartetBin } from '../../src/terminal/paths.js';
import { startTestCluster, writeTestConfig } from '../helpers/cluster.js';
import { pollUntil } from '../helpers/processes.js';

async function antiEntropy(client: QuartetClient): Promise<AntiEntropyReport[]> {
  return (await client.send({ type: 'anti-entropy' }).reply).reports as AntiEntropyReport[];
}

async function repairAll(cluster: Cluster): Promise<AntiEntropyReport[]> {
  const reports: AntiEntropyReport[] = [];
  for (const id of cluster.nodeIds) reports.push(...(await antiEntropy(await cluster.client(id))));
  return reports;
}

/** Runs `count` writes with `inflight` outstanding at once; returns the keys acknowledged. */
async function writeMany(
  client: QuartetClient,
  keys: string[],
  inflight: number,
  onAck?: (acked: number) => Promise<void> | void,
): Promise<string[]> {
  const acked: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      try {
        await client.insert(key, `value-of-${key}`, 'quorum');
        acked.push(key);
        await onAck?.(acked.length);
      } catch {
        // Unacknowledged: no promise to keep.
      }
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
  return acked;
}

async function hintsFor(client: QuartetClient, node: number): Promise<number> {
  const stats: NodeStats = await client.stats();
  return stats.hints.find((h) => h.node === node)?.hints ?? 0;
}

test('a replica SIGKILLed during a stream of quorum writes and restarted holds every acknowledged write after repair', async (t) => {
  const cluster = await startTestCluster(t);
  const victim = 2;
  const keys = Array.from({ length: 600 }, (_, i) => `stream-${i}`);
  let killed: Promise<void> | undefined;
  const acked = await writeMany(await cluster.client(1), keys, 16, (count) => {
    if (count === 200) killed = cluster.kill(victim);
  });
  await killed;
  t.true(
    acked.length >= 590,
    `quorum writes kept succeeding with one replica down (${acked.length} acknowledged)`,
  );
  await cluster.restart(victim);
  await repairAll(cluster);
  const reader = await cluster.client(3);
  const wrong: string[] = [];
  for (const key of acked) {
    const read = await reader.get(key, 'all');
    if (read.value !== `value-of-${key}`) wrong.push(key);
  }
  t.deepEqual(wrong, [], 'every acknowledged write reads back at `all`');
});

test('writes made while a replica was down reach it through hinted handoff alone', async (t) => {
  const cluster = await startTestCluster(t);
  const victim = 3;
  const keys = Array.from({ length: 400 }, (_, i) => `hinted-${i}`).filter((key) =>
    cluster.ring.replicasFor(key).includes(victim),
  );
  await cluster.kill(victim);
  const coordinator = await cluster.client(1);
  const acked = await writeMany(coordinator, keys, 8);
  t.is(acked.length, keys.length);
  t.is(
    await hintsFor(coordinator, victim),
    keys.length,
    'the coordinator kept a hint per write the victim missed',
  );

  await cluster.restart(victim);
  await pollUntil(async () => (await hintsFor(coordinator, victim)) === 0);
  const restarted = await cluster.client(victim);
  const missing: string[] = [];
  for (const key of keys)
    if ((await restarted.local(key))?.value !== `value-of-${key}`) missing.push(key);
  t.deepEqual(missing, [], 'without any read or repair, the victim holds every write');
});

test('two replicas that diverged on 10,000 keys converge after one repair, and their digests then match', async (t) => {
  const cluster = await startTestCluster(t, { maxHintWindowMs: 0 });
  const behind = 4;
  await cluster.kill(behind);
  const keys = Array.from({ length: 10_000 }, (_, i) => `diverged-${i}`);
  const acked = await writeMany(await cluster.client(1), keys, 64);
  t.is(acked.length, keys.length);
  await cluster.restart(behind);
  const restarted = await cluster.client(behind);
  const stored = keys.filter((key) => cluster.ring.replicasFor(key).includes(behind));

  const first = await antiEntropy(restarted);
  t.true(first.every((report) => report.error === undefined));
  t.is(
    first.reduce((sum, report) => sum + report.keysReceived, 0),
    stored.length,
    'it received exactly the keys it missed',
  );
  t.true(first.some((report) => report.rangesDiffering > 0));

  const second = await antiEntropy(restarted);
  t.true(
    second.every((report) => report.rangesDiffering === 0),
    'their Merkle trees match after one repair',
  );
  t.is((await restarted.stats()).keys, stored.length);
});

test('a key deleted while one replica was down stays deleted after it returns and repairs run', async (t) => {
  const cluster = await startTestCluster(t, { maxHintWindowMs: 0 });
  const key = 'doomed';
  const [absent] = cluster.ring.replicasFor(key);
  const coordinator = await cluster.client(cluster.nodeIds.find((id) => id !== absent)!);
  await coordinator.insert(key, 'alive', 'all');
  await cluster.kill(absent!);
  await coordinator.delete(key, 'quorum');
  await cluster.restart(absent!);
  const returned = await cluster.client(absent!);
  t.is(
    (await returned.local(key))?.value,
    'alive',
    'the returning replica still has the old value',
  );

  await returned.get(key, 'one');
  await repairAll(cluster);
  for (const id of cluster.nodeIds)
    t.false(
      (await (await cluster.client(id)).get(key, 'all')).found,
      `node ${id} reads it deleted`,
    );
  t.is((await returned.local(key))?.value, null, 'the returning replica now holds the tombstone');
});

test('quartet up on an existing data directory comes back with its data', async (t) => {
  const { dir, configPath } = await writeTestConfig(t);
  const first = await execa(quartetBin, ['up', '--config', configPath, '--dir', dir, '--json'], {
    input: 'insert kept 1 all\nquit\n',
    reject: false,
  });
  t.is(first.exitCode, 0, first.stderr);
  const second = await execa(quartetBin, ['up', '--config', configPath, '--dir', dir, '--json'], {
    input: 'get kept all\nquit\n',
    reject: false,
  });
  t.is(second.exitCode, 0, second.stderr);
  const read = JSON.parse(second.stdout.split('\n')[0]!) as { value: string; found: boolean };
  t.is(read.value, '1');
});

test('a truncated data file stops startup with an error naming the file and what is wrong', async (t) => {
  const { dir, configPath } = await writeTestConfig(t);
  const seeded = await execa(quartetBin, ['up', '--config', configPath, '--dir', dir], {
    input: 'insert a 1 all\nquit\n',
    reject: false,
  });
  t.is(seeded.exitCode, 0, seeded.stderr);
  const dataFile = join(dir, 'data', 'node-2', 'data.mdb');
  truncateSync(dataFile, statSync(dataFile).size - 100);
  const result = await execa(quartetBin, ['up', '--config', configPath, '--dir', dir], {
    input: 'status\n',
    reject: false,
  });
  t.is(result.exitCode, 1);
  t.regex(
    result.stderr,
    /DATA_CORRUPT: .*node-2\/data\.mdb: it is \d+ bytes, not a whole number of 4096-byte pages/,
  );
});

test('a node that was down longer than the tombstone grace period warns when it rejoins', async (t) => {
  const warnings: string[] = [];
  const cluster = await startTestCluster(
    t,
    { tombstoneGraceMs: 300 },
    { onWarning: (id, message) => warnings.push(`${id}: ${message}`) },
  );
  await cluster.kill(2);
  // The point is that time passes while the node is down: longer than the grace period.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await cluster.restart(2);
  t.is(warnings.length, 1);
  t.regex(
    warnings[0]!,
    /^2: Node 2 was down for \d+ s, longer than tombstoneGraceMs \(300 ms\).*`repair 2`/,
  );
});
