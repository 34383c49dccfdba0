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
  /** This node's view of every other node, from heartbeats and connections. */
  peers: {
    node: number;
    connected: boolean;
    state: 'up' | 'suspect' | 'down';
    lastHeardAgoMs: number | null;
  }[];
  /** Hints this node keeps for other nodes (writes they did not acknowledge). */
  hints: { node: number; hints: number }[];
  /** The store engine, e.g. "memory" or "lmdb, durability batch". */
  store: string;
  pendingRepairs: number;
  /** Requests this node coordinates that are not finished (late answers, repairs). */
  activeCoordinations: number;
  /** Messages this node sent other nodes since it started: requests and replies, not heartbeats. */
  messagesSent: number;
  /** Messages to other nodes dropped by loss or a partition since it started. */
  messagesDropped: number;
  uptimeMs: number;
  /** This node's connections by kind, and the bytes it holds of strangers' and clients' frames still arriving. */
  connections?: ConnectionCounts;
}

export interface ConnectionCounts {
  /** Not yet authenticated as a peer nor past a first request. */
  strangers: number;
  clients: number;
  peers: number;
  partialFrameBytes: number;
  /** Bytes held by the client operations in flight at the node (src/node/dispatch-budget.ts). */
  inflightBytes: number;
  /** Bytes of replies and other frames written to connections that the kernel has not taken yet. */
  unsentBytes: number;
}

/** What one anti-entropy exchange between two replicas found and did. */
export interface AntiEntropyReport {
  node: number;
  peer: number;
  rangesCompared: number;
  rangesDiffering: number;
  keysReceived: number;
  keysSent: number;
  durationMs: number;
  error?: ErrorRecord;
}

export interface StoredEntry {
  key: string;
  version: Version;
}

// ---- client -> node ----
// `traceOp`: the history's id of a data operation, which a traced
// node names it by in the trace (the prompt sends it; without it the node numbers its operations).
export type ClientRequest =
  | { type: 'get'; id: number; key: string; level?: LevelName; traceOp?: number }
  | {
      type: 'put';
      id: number;
      op: 'insert' | 'update';
      key: string;
      value: string;
      level?: LevelName;
      traceOp?: number;
    }
  | { type: 'delete'; id: number; key: string; level?: LevelName; traceOp?: number }
  | { type: 'stats'; id: number }
  | { type: 'dump'; id: number }
  | { type: 'local'; id: number; key: string }
  | { type: 'anti-entropy'; id: number; peers?: number[] }
  /** An orchestrator proving the cluster secret, so that it may send `control` (faults). */
  | { type: 'operator'; id: number; nonce: Uint8Array; mac: Uint8Array }
  /** `control` is checked by src/protocol/control.ts's validateControl where it arrives. */
  | { type: 'control'; id: number; control: unknown }
  /**
   * An operator asks a node started without a trace (`quartet node`) to send its trace batches
   * on this connection, times in µs since `originUs` on the host clock; `trace-stop` ends it,
   * `trace-flush` is acked once every event emitted so far is on the connection.
   */
  | { type: 'trace-start'; id: number; originUs: number }
  | { type: 'trace-stop' | 'trace-flush'; id: number };

/** The sizes a node accepts, in its welcome: a client checks its requests against them. */
export interface WireLimits {
  keyBytesMax: number;
  valueBytesMax: number;
  frameBytesMax: number;
}

/** What a node's client service answers: every client request but the operator's own. */
export type ServiceRequest = Exclude<
  ClientRequest,
  { type: 'operator' | 'control' | 'trace-start' | 'trace-stop' | 'trace-flush' }
>;

/** The requests of an operator's trace (src/node/operator-trace.ts). */
export type TraceRequest = Extract<
  ClientRequest,
  { type: 'trace-start' | 'trace-stop' | 'trace-flush' }
>;

// ---- node -> client ----
export type ClientReply =
  | { type: 'welcome'; nodeId: number; nonce: Uint8Array; limits: WireLimits }
  | { type: 'result'; id: number; result: OpResult }
  | { type: 'stats-result'; id: number; stats: NodeStats }
  | { type: 'dump-result'; id: number; entries: StoredEntry[] }
  | { type: 'local-result'; id: number; version?: Version }
  | { type: 'anti-entropy-result'; id: number; reports: AntiEntropyReport[] }
  | { type: 'repair-event'; id: number; event: RepairEvent }
  | { type: 'operator-ok'; id: number; mac: Uint8Array }
  | { type: 'control-ack'; id: number }
  /** A batch of a traced node's events (src/trace/trace-codec.ts), unasked, after trace-start. */
  | { type: 'trace'; nodeId: number; count: number; bytes: Uint8Array; messages: number }
  | { type: 'error'; id: number; error: ErrorRecord };

// ---- node <-> node (only after the handshake) ----
export type PeerRequest =
  | { type: 'auth'; from: number; nonce: Uint8Array; mac: Uint8Array }
  /** `op`: the traced operation the request serves (null: background), sent only when tracing. */
  | { type: 'read'; id: number; key: string; op?: number | null }
  | { type: 'write'; id: number; key: string; version: Version; op?: number | null }
  | { type: 'repair'; id: number; key: string; version: Version; op?: number | null }
  | { type: 'ping'; id: number }
  | { type: 'tree'; id: number; depth: number }
  | { type: 'range'; id: number; depth: number; leaves: number[] };

export type PeerReply =
  | { type: 'read-reply'; id: number; version?: Version }
  | { type: 'write-reply'; id: number; created: boolean; applied: boolean; before?: Timestamp }
  | { type: 'tree-reply'; id: number; depth: number; nodes: number[] }
  | { type: 'range-reply'; id: number; entries: StoredEntry[]; served: number }
  | { type: 'error'; id: number; error: ErrorRecord };

/** The listener's half of the mutual peer handshake: its proof, sent once the dialer's checked. */
export interface AuthOk {
  type: 'auth-ok';
  mac: Uint8Array;
}

export type Message = ClientRequest | ClientReply | PeerRequest | PeerReply | AuthOk;
