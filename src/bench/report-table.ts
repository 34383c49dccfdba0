import type { ChalkInstance } from 'chalk';
import { renderTable, type TableCell } from '../terminal/fit-table.js';
import { wrapWithIndent } from '../terminal/wrap-text.js';
import type { LatencyMs } from './latency.js';
import type { BenchResult, NodeFigures } from './result.js';
import type { ProcessSample } from './resources.js';
import { workloadDescriptions } from './workload.js';

// The phase, op and level columns are repeated when a narrow terminal splits a table in two.
const repeatColumns = 3;

/** The whole report: what ran, the figures per operation, the model, the nodes, the headline. */
export function formatBenchReport(
  result: BenchResult,
  style: ChalkInstance,
  width?: number,
): string {
  const parts = [wrapWithIndent(describeRun(result), width, '  '), operationsTable(result, width)];
  if (result.phases.some((phase) => phase.operations.some((op) => op.modelMs !== undefined))) {
    const model = result.config.fifo
      ? 'order statistics of the delays plus the wait behind earlier messages on FIFO links, simulated'
      : 'order statistics of the delays';
    const title = style.bold(`Delay model (${model}) vs measured (ms)`);
    parts.push(wrapWithIndent(title, width, '  '), fidelityTable(result, width));
  }
  parts.push(
    nodesTable(result, width),
    wrapWithIndent(describeHeadline(result, style), width, '  '),
  );
  return `${parts.join('\n')}\n`;
}

function describeRun(result: BenchResult): string {
  const { settings: s, config, machine } = result;
  const delays = config.servers.some((server) => server.delayMsMean > 0)
    ? `delays ${config.servers.map((server) => `n${server.id} ${server.delayMsMean} ms`).join(', ')} (${config.delayDistribution})`
    : 'zero delay';
  const amount = s.opsMax === null ? `${s.durationMs / 1000} s` : `${s.opsMax} ops`;
  return [
    `Workload ${s.workload} (${workloadDescriptions[s.workload]}), ${s.keys} keys over ${s.records.toLocaleString('en-US')} records of ${s.valueBytes} B, ${s.inflight} in flight over ${s.clients} connections, ${amount} per phase after ${s.warmupMs / 1000} s warm-up.`,
    `${config.servers.length} nodes, RF ${config.replicationFactor}, ${delays}, read repair ${config.readRepair}, ${s.store === 'durable' ? 'durable' : 'in-memory'} store${s.transport === 'http' ? ', through the HTTP API' : ''}; started in ${result.startupMs} ms.`,
    `${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverage.join(' ')}.`,
  ].join('\n');
}

function operationsTable(result: BenchResult, width: number | undefined): string {
  const rows: TableCell[][] = [];
  const table = { push: (row: TableCell[]) => rows.push(row) };
  const spec = {
    head: [
      'phase',
      'op',
      'level',
      'ops',
      'ops/s',
      'mean',
      'p50',
      'p90',
      'p99',
      'p99.9',
      'max',
      'errors',
    ],
    aligns: [
      'left',
      'left',
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'left',
    ] as const,
  };
  for (const phase of [result.load, ...result.phases]) {
    const errors = Object.entries(phase.errors).map(([code, count]) => `${count} ${code}`);
    phase.operations.forEach((op, index) => {
      table.push([
        index === 0 ? phase.name : '',
        op.op,
        op.level,
        count(op.ops),
        count(op.opsPerSec),
        ...latencyCells(op.latencyMs),
        index === 0 ? errors.join(', ') || '0' : '',
      ]);
    });
    if (phase.operations.length > 1) {
      table.push([
        '',
        'all',
        '',
        count(phase.ops),
        count(phase.opsPerSec),
        ...latencyCells(phase.latencyMs),
        '',
      ]);
    }
  }
  return renderTable({ ...spec, rows, width, repeatColumns });
}

function fidelityTable(result: BenchResult, width: number | undefined): string {
  const rows: TableCell[][] = [];
  const table = { push: (row: TableCell[]) => rows.push(row) };
  const spec = {
    head: [
      'phase',
      'op',
      'level',
      'ops',
      'p50',
      'model p50',
      'overhead',
      'mean',
      'model mean',
      'overhead',
      'model p99',
    ],
  };
  for (const phase of result.phases) {
    for (const op of phase.operations) {
      if (op.modelMs === undefined || op.overheadMs === undefined) continue;
      table.push([
        phase.name,
        op.op,
        op.level,
        count(op.ops),
        ms(op.latencyMs.p50),
        ms(op.modelMs.p50),
        signed(op.overheadMs.p50),
        ms(op.latencyMs.mean),
        ms(op.modelMs.mean),
        signed(op.overheadMs.mean),
        ms(op.modelMs.p99),
      ]);
    }
  }
  return renderTable({ ...spec, rows, width, repeatColumns });
}

function nodesTable(result: BenchResult, width: number | undefined): string {
  const rows: TableCell[][] = [];
  const table = { push: (row: TableCell[]) => rows.push(row) };
  const spec = {
    head: [
      'node',
      'pid',
      'keys',
      'RSS start',
      'RSS loaded',
      'RSS end',
      'peak RSS',
      'CPU in run',
      'CPU %',
    ],
  };
  const rss = (sample: ProcessSample | undefined) =>
    sample === undefined ? '-' : `${sample.rssMb} MB`;
  for (const node of result.nodes) {
    table.push([
      `n${node.id}`,
      node.pid ?? '-',
      node.keys === undefined ? '-' : count(node.keys),
      rss(node.started),
      rss(node.loaded),
      rss(node.finished),
      peakRss(node),
      node.runCpuMs === undefined ? '-' : `${(node.runCpuMs / 1000).toFixed(2)} s`,
      node.runCpuPercent === undefined ? '-' : `${node.runCpuPercent}%`,
    ]);
  }
  const { client } = result;
  table.push([
    'bench',
    process.pid,
    '-',
    '-',
    '-',
    '-',
    '-',
    `${(client.runCpuMs / 1000).toFixed(2)} s`,
    `${client.runCpuPercent}%`,
  ]);
  return renderTable({ ...spec, rows, width, repeatColumns: 1 });
}

function describeHeadline(result: BenchResult, style: ChalkInstance): string {
  const { p50, p90, p99, p999, max } = result.latencyMs;
  const errors = result.errors > 0 ? style.red(`, ${count(result.errors)} failed`) : '';
  const { cpu } = result;
  const calls =
    cpu.nodeWriteCallsPerOp === undefined
      ? ''
      : ` The nodes made ${cpu.nodeReadCallsPerOp} read and ${cpu.nodeWriteCallsPerOp} write system calls per operation.`;
  const cpuLine = `CPU per operation: ${cpu.nodesUsPerOp} µs in the nodes + ${cpu.clientUsPerOp} µs in the bench = ${cpu.totalUsPerOp} µs; ${result.machine.cpus} idle cores would allow about ${count(cpu.ceilingOpsPerSec)} ops/s.${calls}`;
  const headline = style.bold(
    `${count(result.opsPerSec)} ops/s; latency p50 ${ms(p50)} · p90 ${ms(p90)} · p99 ${ms(p99)} · p99.9 ${ms(p999)} · max ${ms(max)} ms${errors}`,
  );
  return `${cpuLine}\n${headline}`;
}

function peakRss(node: NodeFigures): string {
  const peak = node.finished?.peakRssMb;
  return peak === undefined ? '-' : `${peak} MB`;
}

function latencyCells(latency: LatencyMs): string[] {
  return [latency.mean, latency.p50, latency.p90, latency.p99, latency.p999, latency.max].map(ms);
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(3) : value < 1000 ? value.toFixed(1) : value.toFixed(0);
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${ms(value)}`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
