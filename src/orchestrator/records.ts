import type { Timestamp } from '../core/clock.js';
import type { ErrorRecord } from '../core/errors.js';
import type { LevelName } from '../core/levels.js';
import type { AntiEntropyReport, DataOp, NodeStats, ReplicaReport } from '../core/messages.js';
import type { FaultCommand } from './commands.js';
import type { Explanation } from './explain.js';

/** The result of one data command (insert, update, delete, get). */
export interface OpRecord {
  type: 'op';
  seq: number;
  line?: number;
  node: number;
  op: DataOp;
  key: string;
  level: LevelName;
  ok: boolean;
  value: string | null;
  found: boolean;
  latencyMs: number;
  acks: number;
  required: number;
  replicas: ReplicaReport[];
  ts?: Timestamp;
  error?: ErrorRecord;
}

/** A read repair's outcome, reported when it arrives; `seq` is the read that caused it. */
export interface RepairRecord {
  type: 'repair';
  seq: number;
  line?: number;
  node: number;
  key: string;
  replica: number;
  from?: Timestamp;
  to: Timestamp;
  applied: boolean;
  error?: ErrorRecord;
}

export interface NodeStatus {
  id: number;
  address: string;
  pid: number | null;
  state: 'up' | 'down' | 'paused' | 'starting' | 'unreachable';
  keys: number | null;
  tombstones: number | null;
  /** This node's view of the others: up, suspect or down, and how long since it heard them. */
  peers: NodeStats['peers'] | null;
  /** Hints this node keeps, per node they are for. */
  hints: { node: number; hints: number }[] | null;
  store: string | null;
  pendingRepairs: number | null;
}

export interface StoredVersion {
  key: string;
  value: string | null;
  ts: Timestamp;
}

/** Every other command: status, show-all, search, use, help, faults, flow. */
export interface CommandRecord {
  type: 'command';
  seq: number;
  line?: number;
  node: number;
  op: string;
  ok: boolean;
  latencyMs: number;
  message?: string;
  status?: NodeStatus[];
  /** With `status`: the request timeout the nodes run with, and whether the config set it. */
  requestTimeout?: { ms: number; source: 'config' | 'derived' };
  contents?: { node: number; state: string; entries: StoredVersion[] }[];
  antiEntropy?: AntiEntropyReport[];
  /** The fault a fault directive injected (kill, restart, pause, resume, partition, heal, delay, loss). */
  fault?: FaultCommand;
  search?: {
    key: string;
    replicas: { node: number; state: string; value?: string | null; ts?: Timestamp }[];
  };
  /** `explain KEY [LEVEL]`: the key's placement, which levels can be met, their latency. */
  explain?: Explanation;
  error?: ErrorRecord;
}

export type OutputRecord = OpRecord | RepairRecord | CommandRecord;
