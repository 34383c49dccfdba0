import type { EtcdRound, PeerRatio, RedisRound, SideFigures } from './peer-result.js';

/** The targets, named once. */
export const peerTargets = {
  /** quartet A at `one`, 64 in flight, over Redis's mean of SET and GET ops/s. */
  redisOpsRatioMin: 0.8,
  /** quartet W at `all` (batch), 64 in flight, over etcd's puts/s at 64. */
  etcdOpsRatioMin: 2,
  /** quartet's p50 over etcd's p50, both at 1 in flight. */
  etcdLoneP50RatioMax: 1,
} as const;

export function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The mean of each figure over the rounds. */
export function meanFigures(sides: SideFigures[]): SideFigures {
  return {
    opsPerSec: mean(sides.map((side) => side.opsPerSec)),
    p50Ms: mean(sides.map((side) => side.p50Ms)),
    p99Ms: mean(sides.map((side) => side.p99Ms)),
    cpuUsPerOp: mean(sides.map((side) => side.cpuUsPerOp)),
  };
}

export function rateRedis(rounds: RedisRound[]): PeerRatio[] {
  const quartet = meanFigures(rounds.map((round) => round.quartet)).opsPerSec;
  const redis = mean(rounds.map((round) => round.redis.meanOpsPerSec));
  const value = ratio(quartet, redis);
  const cpuQuartet = meanFigures(rounds.map((round) => round.quartet)).cpuUsPerOp;
  const cpuRedis = meanFigures(rounds.flatMap((round) => [round.redis.set, round.redis.get]));
  return [
    {
      name: 'ops/s: quartet A one 64 / redis mean(SET, GET)',
      value,
      target: `>= ${peerTargets.redisOpsRatioMin}`,
      met: value >= peerTargets.redisOpsRatioMin,
    },
    cpuRatio(cpuQuartet, cpuRedis.cpuUsPerOp),
  ];
}

export function rateEtcd(rounds: EtcdRound[]): PeerRatio[] {
  const q64 = meanFigures(rounds.map((round) => round.quartet.inflight64));
  const e64 = meanFigures(rounds.map((round) => round.etcd.inflight64));
  const q1 = meanFigures(rounds.map((round) => round.quartet.inflight1));
  const e1 = meanFigures(rounds.map((round) => round.etcd.inflight1));
  const ops = ratio(q64.opsPerSec, e64.opsPerSec);
  const p50 = ratio(q1.p50Ms, e1.p50Ms);
  return [
    {
      name: 'ops/s at 64: quartet W all batch / etcd puts',
      value: ops,
      target: `>= ${peerTargets.etcdOpsRatioMin}`,
      met: ops >= peerTargets.etcdOpsRatioMin,
    },
    {
      name: 'p50 at 1: quartet / etcd',
      value: p50,
      target: `<= ${peerTargets.etcdLoneP50RatioMax}`,
      met: p50 <= peerTargets.etcdLoneP50RatioMax,
    },
    cpuRatio(mean([q64.cpuUsPerOp, q1.cpuUsPerOp]), mean([e64.cpuUsPerOp, e1.cpuUsPerOp])),
  ];
}

// Recorded, not held to a target: CPU per operation, servers and load generator together.
function cpuRatio(quartetUs: number, peerUs: number): PeerRatio {
  return {
    name: 'CPU µs/op: quartet / peer',
    value: ratio(quartetUs, peerUs),
    target: '-',
    met: true,
  };
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : Math.round((a / b) * 1000) / 1000;
}
