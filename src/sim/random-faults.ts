import type { ClusterConfig } from '../config/types.js';
import type { Random } from '../core/random.js';
import type { ScheduledFault } from './scenario.js';

/**
 * One to four faults at random points of the workload (counted in operations issued, so they
 * fall within it whatever the delays): crashes (mostly followed by a restart), partitions
 * (mostly healed), lossy links, and `repair` steps. The final phase heals the rest.
 */
export function generateFaults(
  random: Random,
  config: ClusterConfig,
  operations: number,
): ScheduledFault[] {
  const nodes = config.servers.map((server) => server.id);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const at = () => Math.floor(random() * operations);
  const faults: ScheduledFault[] = [];
  const count = 1 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const kind = pick(['crash', 'crash', 'partition', 'partition', 'loss', 'repair'] as const);
    const start = at();
    const end = start + 1 + Math.floor(random() * operations * 0.5);
    const healed = random() < 0.8;
    if (kind === 'repair') {
      faults.push({ afterOps: start, kind: 'repair', node: pick(nodes) });
    } else if (kind === 'crash') {
      const node = pick(nodes);
      faults.push({ afterOps: start, kind: 'crash', node });
      if (healed) faults.push({ afterOps: end, kind: 'restart', node });
    } else if (kind === 'partition') {
      faults.push({ afterOps: start, kind: 'partition', groups: splitNodes(random, nodes) });
      if (healed) faults.push({ afterOps: end, kind: 'heal' });
    } else {
      const from = pick(nodes);
      const to = pick(nodes.filter((node) => node !== from));
      const lossRate = pick([0.1, 0.3, 0.5, 1]);
      faults.push({ afterOps: start, kind: 'loss', from, to, lossRate });
      if (healed) faults.push({ afterOps: end, kind: 'loss', from, to, lossRate: 0 });
    }
  }
  return faults.sort((a, b) => a.afterOps - b.afterOps);
}

// Two groups, each with at least one node; sometimes one node alone (a minority cut off).
function splitNodes(random: Random, nodes: readonly number[]): number[][] {
  const shuffled = [...nodes];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const cut = 1 + Math.floor(random() * (shuffled.length - 1));
  return [shuffled.slice(0, cut).sort((a, b) => a - b), shuffled.slice(cut).sort((a, b) => a - b)];
}
