import type { LevelName } from '../core/levels.js';
import type { DataOp } from '../core/messages.js';
import type { Random } from '../core/random.js';
import type { SimCluster } from './sim-cluster.js';

export interface WorkloadOptions {
  clients: number;
  opsPerClient: number;
  keys: number;
  /** Each write picks one of these levels, each read one of `readLevels`. */
  writeLevels: LevelName[];
  readLevels: LevelName[];
  /** Relative weights of the operations. */
  mix: Record<DataOp, number>;
  /** A client waits up to this long (uniform) before its next operation. */
  thinkMsMax: number;
}

export const defaultWorkload: WorkloadOptions = {
  clients: 4,
  opsPerClient: 25,
  keys: 3,
  writeLevels: ['quorum'],
  readLevels: ['quorum'],
  mix: { insert: 2, update: 3, delete: 1, get: 4 },
  thinkMsMax: 50,
};

export function keyName(index: number): string {
  return `k${index + 1}`;
}

/**
 * Starts the clients: each issues one operation at a time (random op, key, level and live
 * coordinator) and the next after a random pause. Values are unique: `c<client>.<n>`.
 */
export function startWorkload(
  cluster: SimCluster,
  options: WorkloadOptions,
  random: Random,
  /** Told how many operations all clients issued so far, just before each one is issued. */
  beforeIssue?: (issued: number) => void,
): void {
  const ops = Object.entries(options.mix) as [DataOp, number][];
  const totalWeight = ops.reduce((sum, [, weight]) => sum + weight, 0);
  const pickOp = (): DataOp => {
    let roll = random() * totalWeight;
    for (const [op, weight] of ops) {
      roll -= weight;
      if (roll < 0) return op;
    }
    return ops[ops.length - 1]![0];
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  let issuedTotal = 0;
  for (let c = 1; c <= options.clients; c++) {
    const client = `c${c}`;
    let issued = 0;
    const next = () => {
      if (issued >= options.opsPerClient) return;
      issued++;
      beforeIssue?.(issuedTotal++);
      const op = pickOp();
      const key = keyName(Math.floor(random() * options.keys));
      const level = pick(op === 'get' ? options.readLevels : options.writeLevels);
      const up = cluster.upNodes();
      const node = up.length > 0 ? pick(up) : pick([...cluster.nodes.keys()]);
      const value = op === 'insert' || op === 'update' ? `${client}.${issued}` : null;
      const request = { client, node, op, key, level, ...(op === 'get' ? {} : { value }) };
      cluster.submit(request, () =>
        cluster.queue.after(random() * options.thinkMsMax * 1000, next),
      );
    };
    cluster.queue.after(random() * options.thinkMsMax * 1000, next);
  }
}
