import type { Scenario, ScheduledFault } from './scenario.js';

/** One seed's scenario in a few lines: cluster, workload, clocks, faults. */
export function describeScenario(scenario: Scenario): string {
  const { config, workload } = scenario;
  const delays = config.servers.map((s) => `n${s.id} ${round(s.delayMsMean)}ms`).join(', ');
  const lines = [
    `seed ${scenario.seed}: ${config.servers.length} nodes, RF ${config.replicationFactor}, delays ${delays} (${config.delayDistribution}${config.fifo ? ', fifo' : ', reordering'}), timeout ${config.requestTimeoutMs}ms${config.requestTimeoutSource === 'derived' ? ' (derived from the delays)' : ''}, read repair ${config.readRepair}, ${scenario.durable ? `durable storage, durability ${config.durability}` : 'in-memory storage'}`,
    `workload: ${workload.clients} clients × ${workload.opsPerClient} ops on ${workload.keys} keys, writes at ${workload.writeLevels.join('|')}, reads at ${workload.readLevels.join('|')}`,
  ];
  const clocks = scenario.clocks.filter((c) => c.skewMs !== 0 || c.resolutionMs !== 1);
  if (clocks.length > 0)
    lines.push(
      `clocks: ${clocks.map((c) => `n${c.node} ${c.skewMs >= 0 ? '+' : ''}${c.skewMs}ms/${c.resolutionMs}ms`).join(', ')}`,
    );
  lines.push(
    `faults: ${scenario.faults.length === 0 ? 'none' : scenario.faults.map(describeFault).join(', ')}`,
  );
  return lines.join('\n');
}

function describeFault(fault: ScheduledFault): string {
  const at = `@op ${fault.afterOps}`;
  switch (fault.kind) {
    case 'crash':
    case 'restart':
      return `${fault.kind} n${fault.node} ${at}`;
    case 'partition':
      return `partition ${fault.groups.map((g) => g.join(' ')).join(' | ')} ${at}`;
    case 'heal':
      return `heal ${at}`;
    case 'repair':
      return `repair n${fault.node} ${at}`;
    case 'loss':
      return `loss ${fault.from}->${fault.to} ${Math.round(fault.lossRate * 100)}% ${at}`;
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
