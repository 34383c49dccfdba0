import { execa } from 'execa';
import { join } from 'node:path';
import { QuartetError } from '../../core/errors.js';
import { createSeededRandom } from '../../core/random.js';
import { findFreePorts } from '../../launcher/free-ports.js';
import { drive } from '../driver.js';
import type { KeyDistribution } from '../key-generators.js';
import { summarizeLatency } from '../latency.js';
import { createValuePool, createWorkloadSource } from '../workload.js';
import { EtcdHttpClient } from './etcd-client.js';
import { findPeerBinary, peerPrograms } from './peer-binary.js';
import { makePeerDir, removePeerDir, startPeerProcess, type PeerProcess } from './peer-process.js';
import type { SideFigures } from './peer-result.js';

/** Members of the etcd cluster, as the issue sets it: three on loopback. */
export const etcdMembers = 3;
const host = '127.0.0.1';

export interface EtcdInput {
  records: number;
  valueBytes: number;
  keys: KeyDistribution;
  durationMs: number;
  warmupMs: number;
  seed: number;
  /** The in-flight counts to measure, in order (the issue: 64 and 1). */
  inflights: number[];
}

/** `etcd --version`'s first line, for the result. */
export async function describeEtcdVersion(): Promise<string> {
  const run = await execa(findPeerBinary(peerPrograms.etcd), ['--version'], { reject: false });
  return (
    run.stdout.split('\n')[0]?.trim().replace('etcd Version:', 'etcd') ?? 'etcd (version unknown)'
  );
}

/**
 * One etcd round: three fresh members on free loopback ports with fresh data dirs, then puts of
 * workload W's keys at each in-flight count, closed loop. Members and dirs go on every path.
 */
export async function measureEtcdRound(input: EtcdInput): Promise<SideFigures[]> {
  const file = findPeerBinary(peerPrograms.etcd);
  const dir = await makePeerDir('etcd');
  const members: PeerProcess[] = [];
  try {
    const ports = await findFreePorts(etcdMembers * 2);
    const clientPort = (index: number) => ports[index]!;
    const peerUrl = (index: number) => `http://${host}:${ports[etcdMembers + index]!}`;
    const cluster = Array.from({ length: etcdMembers }, (_, i) => `m${i + 1}=${peerUrl(i)}`);
    const started = await Promise.allSettled(
      Array.from({ length: etcdMembers }, (_, i) =>
        startPeerProcess({
          name: `etcd member m${i + 1}`,
          file,
          args: [
            ...['--name', `m${i + 1}`, '--data-dir', join(dir, `m${i + 1}`)],
            ...['--listen-client-urls', `http://${host}:${clientPort(i)}`],
            ...['--advertise-client-urls', `http://${host}:${clientPort(i)}`],
            ...['--listen-peer-urls', peerUrl(i), '--initial-advertise-peer-urls', peerUrl(i)],
            ...['--initial-cluster', cluster.join(','), '--initial-cluster-state', 'new'],
            ...['--initial-cluster-token', 'quartet-bench', '--logger', 'zap'],
          ],
          readyText: 'serving client traffic',
        }),
      ),
    );
    for (const outcome of started) if (outcome.status === 'fulfilled') members.push(outcome.value);
    const failure = started.find((outcome) => outcome.status === 'rejected');
    if (failure !== undefined) throw (failure as PromiseRejectedResult).reason;
    const figures: SideFigures[] = [];
    for (const inflight of input.inflights) {
      figures.push(await measurePuts(input, inflight, members, clientPort));
    }
    return figures;
  } finally {
    await Promise.all(members.map((member) => member.stop()));
    await removePeerDir(dir);
  }
}

async function measurePuts(
  input: EtcdInput,
  inflight: number,
  members: PeerProcess[],
  clientPort: (index: number) => number,
): Promise<SideFigures> {
  // One client per member, the slots round-robin over them, as quartet's clients over its nodes.
  const clientCount = Math.min(inflight, etcdMembers);
  const clients = Array.from(
    { length: clientCount },
    (_, i) =>
      new EtcdHttpClient({
        host,
        port: clientPort(i),
        memberId: i + 1,
        sockets: Math.ceil(inflight / clientCount),
      }),
  );
  try {
    const random = createSeededRandom(input.seed);
    const nextValue = createValuePool(input.valueBytes, random);
    const levels = { read: 'all', write: 'all' } as const;
    const source = () =>
      createWorkloadSource({
        workload: 'W',
        records: input.records,
        keys: input.keys,
        levels,
        random,
      });
    const run = (durationMs: number) =>
      drive({
        clients,
        inflight,
        source: source(),
        nextValue,
        untilMs: performance.now() + durationMs,
      });
    if (input.warmupMs > 0) await run(input.warmupMs);
    const before = await Promise.all(members.map((member) => member.sample()));
    const clientBefore = process.cpuUsage();
    const result = await run(input.durationMs);
    const clientCpu = process.cpuUsage(clientBefore);
    const after = await Promise.all(members.map((member) => member.sample()));
    const serverCpuMs = after.reduce(
      (sum, sample, i) => sum + (sample?.cpuMs ?? 0) - (before[i]?.cpuMs ?? 0),
      0,
    );
    const failed = Object.values(result.errors).reduce((sum, count) => sum + count, 0);
    if (result.ops === 0) {
      throw new QuartetError(
        'PEER_FAILED',
        `etcd answered no put (${failed} failed: ${JSON.stringify(result.errors)}).`,
      );
    }
    const latency = summarizeLatency(result.book.merged());
    const cpuMs = serverCpuMs + (clientCpu.user + clientCpu.system) / 1000;
    return {
      opsPerSec: (result.ops * 1000) / result.durationMs,
      p50Ms: latency.p50,
      p99Ms: latency.p99,
      cpuUsPerOp: (cpuMs * 1000) / result.ops,
    };
  } finally {
    for (const client of clients) client.close();
  }
}
