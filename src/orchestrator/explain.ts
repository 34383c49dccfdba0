import { answersFor, levelNames, quorumsOverlap, type LevelName } from '../core/levels.js';
import type { LinkTable } from '../core/links.js';
import type { NodeStats } from '../core/messages.js';
import type { TokenRange } from '../core/ring.js';
import { measureRoundTripsMs, selectAnswerMs } from '../core/round-trips.js';
import type { ClusterHandle } from '../launcher/cluster-handle.js';
import type { NodeStatus } from './records.js';

/** How the coordinator sees a replica: itself, or its failure detector's view of a peer. */
export type SeenState = 'self' | 'up' | 'suspect' | 'down' | 'unknown';

export interface ExplainedReplica {
  node: number;
  /** The process as the orchestrator knows it. */
  process: NodeStatus['state'];
  seen: SeenState;
  /** The coordinator would send it the request (itself, up or suspect: not known down). */
  reachable: boolean;
  /** Mean round trip from the coordinator, from the delays: to the replica and back. */
  roundTripMs: number;
}

export interface ExplainedLevel {
  level: LevelName;
  required: number;
  met: boolean;
  /** The required-th smallest round trip among the reachable replicas; null when not met. */
  expectedMs: number | null;
}

/** What `explain KEY [LEVEL]` found: placement, liveness as the coordinator sees it, levels. */
export interface Explanation {
  key: string;
  range: TokenRange;
  replicationFactor: number;
  coordinator: number;
  /** Whether the coordinator answered for its view of the others. */
  coordinatorUp: boolean;
  /** In ring order, the primary first. */
  replicas: ExplainedReplica[];
  /** LEVEL when given, else every level. */
  levels: ExplainedLevel[];
  defaultLevel: LevelName;
  /** The default level for writes and reads alike: W + R > RF. */
  overlap: boolean;
}

export interface ExplainInput {
  cluster: ClusterHandle;
  key: string;
  coordinator: number;
  level?: LevelName;
  /** The links' delays now: the config's, with the session's `delay` directives on top. */
  links: LinkTable;
}

export async function explainKey(input: ExplainInput): Promise<Explanation> {
  const { cluster, key, coordinator, links } = input;
  const { ring, config } = cluster;
  const stats = await readStats(cluster, coordinator);
  const replicas = ring.replicasFor(key).map((node): ExplainedReplica => {
    const seen = seenState(stats, node);
    const reachable = seen === 'self' || seen === 'up' || seen === 'suspect';
    return { node, process: cluster.info(node).state, seen, reachable, roundTripMs: 0 };
  });
  const meanMs = (from: number, to: number) => links.get(from, to).delayMsMean;
  const roundTripsMs = measureRoundTripsMs(
    coordinator,
    replicas.map((replica) => replica.node),
    meanMs,
  );
  replicas.forEach((replica, i) => (replica.roundTripMs = roundTripsMs[i]!));
  const reachableMs = replicas.filter((r) => r.reachable).map((r) => r.roundTripMs);
  const rf = config.replicationFactor;
  const levels = (input.level === undefined ? levelNames : [input.level]).map((level) => {
    const required = answersFor(level, rf);
    const met = required <= rf && required <= reachableMs.length;
    const expectedMs = met ? selectAnswerMs(reachableMs.slice(), required) : null;
    return { level, required, met, expectedMs };
  });
  return {
    key,
    range: ring.tokenRangeFor(key),
    replicationFactor: rf,
    coordinator,
    coordinatorUp: stats !== undefined,
    replicas,
    levels,
    defaultLevel: config.defaultLevel,
    overlap: quorumsOverlap(config.defaultLevel, config.defaultLevel, rf),
  };
}

// The coordinator's own stats carry its failure detector's view; none when it cannot answer.
async function readStats(cluster: ClusterHandle, node: number): Promise<NodeStats | undefined> {
  if (cluster.info(node).state !== 'up') return undefined;
  try {
    return await (await cluster.client(node)).stats();
  } catch {
    return undefined; // unreachable: the explanation says the coordinator did not answer
  }
}

function seenState(stats: NodeStats | undefined, node: number): SeenState {
  if (stats === undefined) return 'unknown';
  if (node === stats.nodeId) return 'self';
  return stats.peers.find((peer) => peer.node === node)?.state ?? 'unknown';
}
