import type { LevelName } from '../core/levels.js';

export type DelayDistribution = 'uniform' | 'fixed' | 'exponential';
export type ReadRepairMode = 'background' | 'blocking' | 'off';

export interface ServerConfig {
  /** 1..N in config order. */
  id: number;
  host: string;
  port: number;
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

export interface ClusterConfig {
  servers: ServerConfig[];
  delayDistribution: DelayDistribution;
  fifo: boolean;
  links: LinkConfig[];
  replicationFactor: number;
  defaultLevel: LevelName;
  readRepair: ReadRepairMode;
  requestTimeoutMs: number;
  tombstoneGraceMs: number;
  virtualNodes: number;
  keyBytesMax: number;
  valueBytesMax: number;
}
