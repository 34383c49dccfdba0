import type { Timestamp } from './clock.js';
import type { ErrorRecord } from './errors.js';
import type { LevelName } from './levels.js';
import type { Version } from './version.js';

export type DataOp = 'get' | 'insert' | 'update' | 'delete';

/** What a replica looked like to the coordinator of one operation. */
export type ReplicaState = 'fresh' | 'stale' | 'missing' | 'pending' | 'down';

export interface ReplicaReport {
  node: number;
  state: ReplicaState;
  /** The timestamp the replica answered with (reads) or acknowledged (writes). */
  ts?: Timestamp;
  /** Writes: whether the key was new on that replica. */
  created?: boolean;
}

/** The answer to one data operation. */
export interface OpResult {
  op: DataOp;
  key: string;
  level: LevelName;
  coordinator: number;
  required: number;
  acks: number;
  /** Reads: the newest value among the answers; null when not found. Writes: the value written. */
  value: string | null;
  found: boolean;
  ts?: Timestamp;
  replicas: ReplicaReport[];
}

/** A read repair's outcome: which replica went from which version to which. */
export interface RepairEvent {
  key: string;
  node: number;
  coordinator: number;
  from?: Timestamp;
  to: Timestamp;
  applied: boolean;
  error?: ErrorRecord;
}

export interface NodeStats {
  nodeId: number;
  pid: number;
  address: string;
  keys: number;
  tombstones: number;
  peers: { node: number; connected: boolean }[];
  pendingRepairs: number;
  /** Requests this node coordinates that are not finished (late answers, repairs). */
  activeCoordinations: number;
  uptimeMs: number;
}

export interface StoredEntry {
  key: string;
  version: Version;
}

// ---- client -> node ----
export type ClientRequest =
  | { type: 'get'; id: number; key: string; level?: LevelName }
  | {
      type: 'put';
      id: number;
      op: 'insert' | 'update';
      key: string;
      value: string;
      level?: LevelName;
    }
  | { type: 'delete'; id: number; key: string; level?: LevelName }
  | { type: 'stats'; id: number }
  | { type: 'dump'; id: number }
  | { type: 'local'; id: number; key: string };

// ---- node -> client ----
export type ClientReply =
  | { type: 'welcome'; nodeId: number; nonce: Uint8Array }
  | { type: 'result'; id: number; result: OpResult }
  | { type: 'stats-result'; id: number; stats: NodeStats }
  | { type: 'dump-result'; id: number; entries: StoredEntry[] }
  | { type: 'local-result'; id: number; version?: Version }
  | { type: 'repair-event'; id: number; event: RepairEvent }
  | { type: 'error'; id: number; error: ErrorRecord };

// ---- node <-> node (only after the handshake) ----
export type PeerRequest =
  | { type: 'auth'; from: number; mac: Uint8Array }
  | { type: 'read'; id: number; key: string }
  | { type: 'write'; id: number; key: string; version: Version }
  | { type: 'repair'; id: number; key: string; version: Version };

export type PeerReply =
  | { type: 'read-reply'; id: number; version?: Version }
  | { type: 'write-reply'; id: number; created: boolean; applied: boolean; before?: Timestamp }
  | { type: 'error'; id: number; error: ErrorRecord };

export type Message = ClientRequest | ClientReply | PeerRequest | PeerReply;
