import type { LevelName } from '../core/levels.js';

export type DelayDistribution = 'uniform' | 'fixed' | 'exponential';
export type ReadRepairMode = 'background' | 'blocking' | 'off';

export interface ServerConfig {
  /** 1..N in config order. */
  id: number;
  host: string;
  port: number;
  /** The node's HTTP API port (config `httpPort`, or `quartet node --http-port`); off when unset. */
  httpPort?: number;
  /** Mean one-way delay of a message delivered to this server from another server. */
  delayMsMean: number;
}

/** A per-link override on top of the per-server delays: the one-way channel from -> to. */
export interface LinkConfig {
  from: number;
  to: number;
  delayMsMean?: number;
  /** 0..1, the chance that a message on this link is dropped. */
  lossRate?: number;
}

/** Whether requestTimeoutMs was given, or left out and so derived from the delays. */
export type RequestTimeoutSource = 'config' | 'derived';

export type Durability = 'sync' | 'batch' | 'none';

export interface ClusterConfig {
  servers: ServerConfig[];
  delayDistribution: DelayDistribution;
  fifo: boolean;
  links: LinkConfig[];
  replicationFactor: number;
  defaultLevel: LevelName;
  readRepair: ReadRepairMode;
  /** How long a coordinator waits for the replicas a request needs. */
  requestTimeoutMs: number;
  /** 'config': given; 'derived': left out, so derived from the delays (never below 5000). */
  requestTimeoutSource: RequestTimeoutSource;
  tombstoneGraceMs: number;
  virtualNodes: number;
  keyBytesMax: number;
  valueBytesMax: number;
  /** sync: each write on disk before its ack; batch: the writes of one event turn share a commit and its fsync; none: no fsync, commits every noneCommitDelayMs. */
  durability: Durability;
  /** Hints older than this are dropped instead of replayed. */
  maxHintWindowMs: number;
  /** How often a node tells every peer it is alive. */
  heartbeatIntervalMs: number;
  /** Silence after which a peer is suspect (it still counts as up). */
  suspectAfterMs: number;
  /** Silence after which a peer is down: coordinators stop waiting for it. */
  downAfterMs: number;
  /** How often each node runs anti-entropy with its peers; 0 turns the schedule off. */
  antiEntropyIntervalMs: number;
  /** A version stamped further ahead of a node's clock than this is refused (CLOCK_SKEW). */
  maxClockOffsetMs: number;
}
