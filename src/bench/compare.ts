import { readFile } from 'node:fs/promises';
import { renderTable, type TableCell } from '../terminal/fit-table.js';
import { wrapWithIndent } from '../terminal/wrap-text.js';
import { QuartetError } from '../core/errors.js';
import type { BenchResult } from './result.js';

interface Row {
  metric: string;
  a: number | undefined;
  b: number | undefined;
  /** Whether a larger figure is better (ops/s) or worse (latency, memory). */
  higherIsBetter: boolean;
}

/** `quartet bench --compare A.json B.json`: each figure of both runs and the ratio B/A. */
export async function compareResults(
  pathA: string,
  pathB: string,
  width?: number,
): Promise<string> {
  const [a, b] = await Promise.all([readResult(pathA), readResult(pathB)]);
  const rows: TableCell[][] = [];
  for (const row of compareRows(a, b)) {
    const ratio =
      row.a !== undefined && row.b !== undefined && row.a !== 0 ? row.b / row.a : undefined;
    const verdict =
      ratio === undefined || Math.abs(ratio - 1) < 0.05
        ? ''
        : ratio > 1 === row.higherIsBetter
          ? 'better'
          : 'worse';
    rows.push([
      row.metric,
      show(row.a),
      show(row.b),
      ratio === undefined ? '-' : `${ratio.toFixed(2)}×`,
      verdict,
    ]);
  }
  const notes = [`A: ${pathA} (${describe(a)})`, `B: ${pathB} (${describe(b)})`].map((note) =>
    wrapWithIndent(note, width, '  '),
  );
  const rendered = renderTable({
    head: ['figure', 'A', 'B', 'B / A', ''],
    rows,
    aligns: ['left', 'right', 'right', 'right', 'left'],
    width,
    rowRules: false,
  });
  return `${notes.join('\n')}\n${rendered}\n`;
}

export function compareRows(a: BenchResult, b: BenchResult): Row[] {
  const rows: Row[] = [
    { metric: 'ops/s', a: a.opsPerSec, b: b.opsPerSec, higherIsBetter: true },
    ...(['p50', 'p90', 'p99', 'p999', 'max'] as const).map((p) => ({
      metric: `latency ${p} (ms)`,
      a: a.latencyMs[p],
      b: b.latencyMs[p],
      higherIsBetter: false,
    })),
    {
      metric: 'CPU µs per op (nodes + bench)',
      a: a.cpu?.totalUsPerOp,
      b: b.cpu?.totalUsPerOp,
      higherIsBetter: false,
    },
    { metric: 'startup (ms)', a: a.startupMs, b: b.startupMs, higherIsBetter: false },
    { metric: 'load ops/s', a: a.load.opsPerSec, b: b.load.opsPerSec, higherIsBetter: true },
    { metric: 'largest node RSS (MB)', a: largestRss(a), b: largestRss(b), higherIsBetter: false },
  ];
  const operationsOf = (result: BenchResult) =>
    new Map(
      result.phases.flatMap((phase) =>
        phase.operations.map((op) => [`${phase.name}: ${op.op} ${op.level}`, op] as const),
      ),
    );
  const opsA = operationsOf(a);
  const opsB = operationsOf(b);
  for (const [name, opA] of opsA) {
    const opB = opsB.get(name);
    rows.push(
      { metric: `${name} ops/s`, a: opA.opsPerSec, b: opB?.opsPerSec, higherIsBetter: true },
      {
        metric: `${name} p50 (ms)`,
        a: opA.latencyMs.p50,
        b: opB?.latencyMs.p50,
        higherIsBetter: false,
      },
      {
        metric: `${name} p99 (ms)`,
        a: opA.latencyMs.p99,
        b: opB?.latencyMs.p99,
        higherIsBetter: false,
      },
    );
  }
  return rows;
}

async function readResult(path: string): Promise<BenchResult> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new QuartetError(
      'USAGE',
      `Cannot read the bench result ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const result = parsed as Partial<BenchResult>;
  if (result.kind !== 'quartet-bench' || typeof result.opsPerSec !== 'number') {
    throw new QuartetError(
      'USAGE',
      `${path} is not a result of \`quartet bench\` (no "kind": "quartet-bench").`,
    );
  }
  return result as BenchResult;
}

function largestRss(result: BenchResult): number | undefined {
  const peaks = result.nodes.map((node) => node.finished?.peakRssMb ?? node.finished?.rssMb ?? 0);
  return peaks.length === 0 ? undefined : Math.max(...peaks);
}

function describe(result: BenchResult): string {
  const { settings: s, config } = result;
  return `workload ${s.workload}, ${s.inflight} in flight, ${config.servers.length} nodes, RF ${config.replicationFactor}, ${result.startedAt}`;
}

function show(value: number | undefined): string {
  return value === undefined ? '-' : value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}
