/** One side's figures in one round. */
export interface SideFigures {
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU of the servers and the load generator per operation (µs). */
  cpuUsPerOp: number;
}

export interface RedisRound {
  round: number;
  quartet: SideFigures;
  redis: { set: SideFigures; get: SideFigures; meanOpsPerSec: number };
}

export interface EtcdRound {
  round: number;
  quartet: { inflight64: SideFigures; inflight1: SideFigures };
  etcd: { inflight64: SideFigures; inflight1: SideFigures };
}

/** A ratio of quartet to the peer, with the target it is held to. */
export interface PeerRatio {
  name: string;
  value: number;
  target: string;
  met: boolean;
}

export interface PeerResult {
  kind: 'quartet-bench-peers';
  version: 1;
  vs: 'redis' | 'etcd';
  startedAt: string;
  /** `uptime`'s load average when the run began and ended. */
  loadAverage: { start: number[]; end: number[] };
  /** How each side was driven, in words (also in bench/README.md). */
  method: { quartet: string; peer: string };
  peerVersion: string;
  /** What both sides ran with. */
  settings: {
    records: number;
    valueBytes: number;
    keys: string;
    durationMs: number;
    warmupMs: number;
  };
  rounds: RedisRound[] | EtcdRound[];
  ratios: PeerRatio[];
}
