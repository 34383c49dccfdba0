import type { Cluster } from '../launcher/cluster.js';
import type { NodeFigures } from './result.js';
import { sampleProcess, type ProcessSample } from './resources.js';

export type NodeSamples = Map<number, ProcessSample | undefined>;

/** RSS and CPU time of every node process now. */
export async function sampleNodes(cluster: Cluster): Promise<NodeSamples> {
  const entries = await Promise.all(
    cluster.nodeIds.map(async (id) => {
      const pid = cluster.info(id).pid;
      return [id, pid === undefined ? undefined : await sampleProcess(pid)] as const;
    }),
  );
  return new Map(entries);
}

/** Each node's samples, its CPU time during the run, and the keys it holds at the end. */
export async function describeNodes(
  cluster: Cluster,
  samples: { started: NodeSamples; loaded: NodeSamples; finished: NodeSamples; runWallMs: number },
): Promise<NodeFigures[]> {
  return Promise.all(
    cluster.nodeIds.map(async (id): Promise<NodeFigures> => {
      const loaded = samples.loaded.get(id);
      const finished = samples.finished.get(id);
      const runCpuMs =
        loaded !== undefined && finished !== undefined ? finished.cpuMs - loaded.cpuMs : undefined;
      const keys = await cluster
        .client(id)
        .then((client) => client.stats())
        .then((stats) => stats.keys)
        .catch(() => undefined);
      return {
        id,
        pid: cluster.info(id).pid,
        keys,
        started: samples.started.get(id),
        loaded,
        finished,
        runCpuMs,
        runCpuPercent:
          runCpuMs === undefined || samples.runWallMs <= 0
            ? undefined
            : Math.round((runCpuMs / samples.runWallMs) * 100),
      };
    }),
  );
}
