import { execa } from 'execa';
import { QuartetError } from '../../core/errors.js';
import { findFreePorts } from '../../launcher/free-ports.js';
import { findPeerBinary, peerPrograms } from './peer-binary.js';
import { makePeerDir, removePeerDir, startPeerProcess } from './peer-process.js';
import { readExitedChildrenCpuMs } from './children-cpu.js';
import type { SideFigures } from './peer-result.js';

/** redis-benchmark's connections, as the issue sets them (each has one request in flight). */
export const redisClients = 64;
/** Requests of the unmeasured first run that sizes the measured ones to the duration. */
const probeRequests = 20_000;
/** Most requests per measured test, whatever the probe says. */
const requestsMax = 20_000_000;

export interface RedisInput {
  records: number;
  valueBytes: number;
  durationMs: number;
}

export interface RedisFigures {
  set: SideFigures;
  get: SideFigures;
  meanOpsPerSec: number;
}

/** `redis-server --version`, e.g. "Redis server v=7.0.15 …", for the result. */
export async function describeRedisVersion(): Promise<string> {
  const run = await execa(findPeerBinary(peerPrograms.redisServer), ['--version'], {
    reject: false,
  });
  return /v=\S+/.exec(run.stdout)?.[0].replace('v=', 'Redis ') ?? 'Redis (version unknown)';
}

/** Checks that both Redis programs are installed before anything starts. */
export function findRedisPrograms(): { server: string; benchmark: string } {
  return {
    server: findPeerBinary(peerPrograms.redisServer),
    benchmark: findPeerBinary(peerPrograms.redisBenchmark),
  };
}

/**
 * One Redis round: a fresh redis-server (no persistence, like quartet's memory store) on a free
 * port, an unmeasured probe, then redis-benchmark's SET and GET sized to last the duration.
 */
export async function measureRedisRound(input: RedisInput): Promise<RedisFigures> {
  const programs = findRedisPrograms();
  const [port] = await findFreePorts(1);
  const dir = await makePeerDir('redis');
  const server = await startPeerProcess({
    name: 'redis-server',
    file: programs.server,
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    readyText: 'Ready to accept connections',
  }).catch(async (error: unknown) => {
    await removePeerDir(dir);
    throw error;
  });
  try {
    const run = (tests: string, requests: number) =>
      runRedisBenchmark(programs.benchmark, port!, tests, requests, input);
    const probe = await run('set', probeRequests);
    const requests = Math.min(
      requestsMax,
      Math.max(probeRequests, Math.round((probe.set.opsPerSec * input.durationMs) / 1000)),
    );
    const serverBefore = await server.sample();
    const childrenBefore = await readExitedChildrenCpuMs();
    const measured = await run('set,get', requests);
    const serverAfter = await server.sample();
    const toolCpuMs = (await readExitedChildrenCpuMs()) - childrenBefore;
    const serverCpuMs = (serverAfter?.cpuMs ?? 0) - (serverBefore?.cpuMs ?? 0);
    const cpuUsPerOp = ((serverCpuMs + toolCpuMs) * 1000) / (2 * requests);
    const set = { ...measured.set, cpuUsPerOp };
    const get = { ...measured.get, cpuUsPerOp };
    return { set, get, meanOpsPerSec: (set.opsPerSec + get.opsPerSec) / 2 };
  } finally {
    await server.stop();
    await removePeerDir(dir);
  }
}

type Parsed = Record<'set' | 'get', Omit<SideFigures, 'cpuUsPerOp'>>;

async function runRedisBenchmark(
  file: string,
  port: number,
  tests: string,
  requests: number,
  input: RedisInput,
): Promise<Parsed> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-c', String(redisClients)];
  args.push('-d', String(input.valueBytes), '-r', String(input.records));
  args.push('-n', String(requests), '-t', tests, '--csv');
  const run = await execa(file, args, { reject: false, stdin: 'ignore' });
  if (run.exitCode !== 0) {
    throw new QuartetError(
      'PEER_FAILED',
      `redis-benchmark exited with ${run.exitCode ?? run.signal}: ${run.stderr.trim().slice(0, 300)}`,
    );
  }
  return parseRedisCsv(run.stdout);
}

/** redis-benchmark --csv: a header row, then one row per test ("SET", "GET"). */
export function parseRedisCsv(text: string): Parsed {
  const rows = text
    .trim()
    .split('\n')
    .map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
  const header = rows[0] ?? [];
  const column = (name: string) => header.indexOf(name);
  const figures: Partial<Parsed> = {};
  for (const row of rows.slice(1)) {
    const test = row[0]?.toLowerCase();
    if (test !== 'set' && test !== 'get') continue;
    figures[test] = {
      opsPerSec: Number(row[column('rps')]),
      p50Ms: Number(row[column('p50_latency_ms')]),
      p99Ms: Number(row[column('p99_latency_ms')]),
    };
  }
  const { set, get } = figures;
  if (set === undefined || get === undefined || !Number.isFinite(set.opsPerSec)) {
    // The probe runs SET alone: GET then mirrors it.
    if (set !== undefined && get === undefined) return { set, get: set };
    throw new QuartetError('PEER_FAILED', `redis-benchmark printed no SET/GET figures: ${text}`);
  }
  return { set, get };
}
