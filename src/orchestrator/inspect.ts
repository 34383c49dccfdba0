import type { ClusterHandle } from '../launcher/cluster-handle.js';
import type { CommandRecord, NodeStatus } from './records.js';

type Contents = NonNullable<CommandRecord['contents']>;
type Search = NonNullable<CommandRecord['search']>;

/** `status`: every node's process state and what it reports about itself. */
export async function describeNodes(cluster: ClusterHandle): Promise<NodeStatus[]> {
  return Promise.all(
    cluster.nodeIds.map(async (id) => {
      const info = cluster.info(id);
      const status: NodeStatus = {
        id,
        address: `${info.host}:${info.port}`,
        pid: info.pid ?? null,
        state: info.state,
        keys: null,
        tombstones: null,
        peers: null,
        hints: null,
        store: null,
        pendingRepairs: null,
      };
      if (info.state !== 'up') return status;
      try {
        const stats = await (await cluster.client(id)).stats();
        status.keys = stats.keys;
        status.tombstones = stats.tombstones;
        status.pendingRepairs = stats.pendingRepairs;
        status.peers = stats.peers;
        status.hints = stats.hints;
        status.store = stats.store;
      } catch {
        status.state = 'unreachable';
      }
      return status;
    }),
  );
}

/** `show-all`: every node's keys with their versions. */
export async function readContents(cluster: ClusterHandle, only?: number): Promise<Contents> {
  const ids = only === undefined ? cluster.nodeIds : [only];
  return Promise.all(
    ids.map(async (id) => {
      const info = cluster.info(id);
      if (info.state !== 'up') return { node: id, state: info.state, entries: [] };
      try {
        const entries = await (await cluster.client(id)).dump();
        return {
          node: id,
          state: 'up',
          entries: entries.map(({ key, version }) => ({
            key,
            value: version.value,
            ts: version.ts,
          })),
        };
      } catch {
        return { node: id, state: 'unreachable', entries: [] };
      }
    }),
  );
}

/** `search KEY`: the key's replica set and what each replica holds. */
export async function searchKey(cluster: ClusterHandle, key: string): Promise<Search> {
  const replicas = await Promise.all(
    [...cluster.ring.replicasFor(key)]
      .sort((a, b) => a - b)
      .map(async (node) => {
        const info = cluster.info(node);
        if (info.state !== 'up') return { node, state: info.state };
        try {
          const version = await (await cluster.client(node)).local(key);
          if (version === undefined) return { node, state: 'missing' };
          return {
            node,
            state: version.value === null ? 'tombstone' : 'holds',
            value: version.value,
            ts: version.ts,
          };
        } catch {
          return { node, state: 'unreachable' };
        }
      }),
  );
  return { key, replicas };
}
