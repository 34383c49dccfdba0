import type { QuartetClient } from '../client/client.js';
import type { ClusterConfig } from '../config/types.js';
import type { Ring } from '../core/ring.js';
import type { ControlMessage } from '../protocol/control.js';
import type { Trace } from '../trace/trace-format.js';
import type { NodeInfo } from './cluster.js';

/**
 * What a Session needs from the nodes it talks to: `Cluster` (processes this orchestrator
 * started) and `AttachedCluster` (nodes someone else started, `quartet run --attach`).
 * The fault methods reject on a cluster that cannot inject faults.
 */
export interface ClusterHandle {
  readonly config: ClusterConfig;
  readonly ring: Ring;
  readonly nodeIds: number[];
  isNode(id: number): boolean;
  info(id: number): NodeInfo;
  client(id: number): Promise<QuartetClient>;
  kill(id: number): Promise<void>;
  restart(id: number): Promise<void>;
  waitForPeers(timeoutMs?: number): Promise<void>;
  pause(id: number): void;
  resume(id: number): void;
  broadcast(message: ControlMessage): Promise<void>;
  /** The latest trace events (`trace` at the prompt); absent on nodes someone else started. */
  recentTrace?(): Promise<Trace>;
}
