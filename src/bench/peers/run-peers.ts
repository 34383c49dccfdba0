import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { QuartetError } from '../../core/errors.js';
import { withStopOnSignal } from '../../launcher/stop-on-signal.js';
import { createStyle } from '../../terminal/style.js';
import { resolveBenchOptions, type BenchCliOptions } from '../options.js';
import { resultPath } from '../result.js';
import { describeEtcdVersion, etcdMembers, measureEtcdRound } from './etcd-side.js';
import { findPeerBinary, peerPrograms } from './peer-binary.js';
import { stopAllPeers } from './peer-process.js';
import { rateEtcd, rateRedis } from './peer-ratios.js';
import type { EtcdRound, PeerResult, RedisRound } from './peer-result.js';
import { formatPeersReport } from './peers-report.js';
import { measureQuartetSide } from './quartet-side.js';
import {
  describeRedisVersion,
  findRedisPrograms,
  measureRedisRound,
  redisClients,
} from './redis-side.js';

export const peerNames = ['redis', 'etcd'] as const;
export type PeerName = (typeof peerNames)[number];
/** Rounds of quartet-then-peer; the issue asks for at least two. */
export const peerRounds = { default: 2, min: 2, max: 20 } as const;

/** `quartet bench --vs redis|etcd`: quartet and the peer in turn, the ratios, a JSON result. */
export async function runPeers(cli: BenchCliOptions, width: number | undefined): Promise<void> {
  const vs = parsePeerName(cli.vs);
  const rounds = cli.rounds ?? peerRounds.default;
  if (!Number.isSafeInteger(rounds) || rounds < peerRounds.min || rounds > peerRounds.max) {
    throw usage(
      `Expected \`--rounds\` to be a whole number from ${peerRounds.min} to ${peerRounds.max}, got ${rounds}.`,
    );
  }
  if (cli.config !== undefined || cli.http === true) {
    throw usage(
      '`--vs` runs generated zero-delay clusters over MessagePack; drop `--config`/`--http`.',
    );
  }
  // Both sides use uniform keys unless told otherwise: redis-benchmark's -r picks keys uniformly.
  const base: BenchCliOptions = { keys: 'uniform', ...cli };
  const options = resolveBenchOptions(base);
  // Refuse before anything starts when the peer is not installed.
  if (vs === 'redis') findRedisPrograms();
  else findPeerBinary(peerPrograms.etcd);

  const startedAt = new Date();
  const loadStart = readLoad();
  const note = (text: string) => void (cli.quiet ? undefined : process.stderr.write(`${text}\n`));
  const peerTurn = <T>(body: () => Promise<T>) => {
    let value: T | undefined;
    return withStopOnSignal(stopAllPeers, async () => void (value = await body())).then(
      () => value as T,
    );
  };
  const redisRounds: RedisRound[] = [];
  const etcdRounds: EtcdRound[] = [];
  for (let round = 1; round <= rounds; round++) {
    if (vs === 'redis') {
      note(`Round ${round}/${rounds}: quartet workload A at one, 64 in flight`);
      const quartet = await measureQuartetSide(base, {
        workload: 'A',
        level: 'one',
        inflight: 64,
        durable: false,
      });
      note(`Round ${round}/${rounds}: redis-benchmark SET/GET, ${redisClients} clients`);
      const redis = await peerTurn(() => measureRedisRound(options));
      redisRounds.push({ round, quartet: quartet.figures, redis });
    } else {
      note(
        `Round ${round}/${rounds}: quartet workload W at all (durable, batch), 64 then 1 in flight`,
      );
      const w = { workload: 'W', level: 'all', durable: true } as const;
      const q64 = await measureQuartetSide(base, { ...w, inflight: 64 });
      const q1 = await measureQuartetSide(base, { ...w, inflight: 1 });
      note(`Round ${round}/${rounds}: etcd, ${etcdMembers} members, puts at 64 then 1 in flight`);
      const [e64, e1] = await peerTurn(() => measureEtcdRound({ ...options, inflights: [64, 1] }));
      etcdRounds.push({
        round,
        quartet: { inflight64: q64.figures, inflight1: q1.figures },
        etcd: { inflight64: e64!, inflight1: e1! },
      });
    }
  }
  const result: PeerResult = {
    kind: 'quartet-bench-peers',
    version: 1,
    vs,
    startedAt: startedAt.toISOString(),
    loadAverage: { start: loadStart, end: readLoad() },
    method: describeMethod(vs),
    peerVersion: vs === 'redis' ? await describeRedisVersion() : await describeEtcdVersion(),
    settings: {
      records: options.records,
      valueBytes: options.valueBytes,
      keys: options.keys,
      durationMs: options.durationMs,
      warmupMs: options.warmupMs,
    },
    rounds: vs === 'redis' ? redisRounds : etcdRounds,
    ratios: vs === 'redis' ? rateRedis(redisRounds) : rateEtcd(etcdRounds),
  };
  const path = resultPath(cli.out, `vs-${vs}`, startedAt);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(formatPeersReport(result, createStyle(process.stdout), width));
  process.stdout.write(`Results written to ${path}\n`);
}

function describeMethod(vs: PeerName): PeerResult['method'] {
  if (vs === 'redis') {
    return {
      quartet:
        'bench measure path, 4 nodes RF 3, in-memory store, MessagePack client, workload A at one, 64 in flight over 4 connections (pipelined).',
      peer: `redis-server without persistence, redis-benchmark (C) -c ${redisClients} -d SIZE -r RECORDS -t set,get, one request in flight per connection.`,
    };
  }
  return {
    quartet:
      'bench measure path, 4 nodes RF 3, LMDB store with durability batch, MessagePack client, workload W at all, 64 and 1 in flight.',
    peer: `${etcdMembers} etcd members on loopback, fresh data dirs; puts through the JSON gateway (/v3/kv/put) over HTTP/1.1 keep-alive from the bench's closed-loop driver, 64 and 1 in flight.`,
  };
}

function parsePeerName(text: string | undefined): PeerName {
  const name = (text ?? '').trim().toLowerCase();
  if (!(peerNames as readonly string[]).includes(name)) {
    throw usage(`Expected \`--vs\` to be ${peerNames.join(' or ')}, got "${text}".`);
  }
  return name as PeerName;
}

function readLoad(): number[] {
  return loadavg().map((load) => Math.round(load * 100) / 100);
}

function usage(message: string): QuartetError {
  return new QuartetError('USAGE', message);
}
