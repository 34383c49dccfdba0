// The soak's faults, one every few seconds in turn: kill and restart, pause, partition, loss.
import type { Cluster } from '../../src/launcher/cluster.js';

/** Time between the start of one fault and the next. */
export const faultIntervalMs = 4_000;
/** How long each fault lasts before it is undone. */
export const faultHoldMs = 1_500;
/** The only node the soak kills and restarts; the RSS bound is judged on the others. */
export const crashVictim = 4;

type Fault = { name: string; inject: () => Promise<void>; undo: () => Promise<void> };

export function createFaults(cluster: Cluster): Fault[] {
  return [
    {
      name: `kill ${crashVictim} and restart`,
      inject: () => cluster.kill(crashVictim),
      undo: () => cluster.restart(crashVictim),
    },
    { name: 'pause 2', inject: async () => cluster.pause(2), undo: async () => cluster.resume(2) },
    {
      name: 'partition 1,2 | 3,4',
      inject: () =>
        cluster.broadcast({
          type: 'partition',
          groups: [
            [1, 2],
            [3, 4],
          ],
        }),
      undo: () => cluster.broadcast({ type: 'heal' }),
    },
    {
      name: 'loss 1->3 30%',
      inject: () => cluster.broadcast({ type: 'link-loss', from: 1, to: 3, lossRate: 0.3 }),
      undo: () => cluster.broadcast({ type: 'link-loss', from: 1, to: 3, lossRate: 0 }),
    },
  ];
}
