import { stripVTControlCharacters as strip } from 'node:util';
import test from 'ava';
import { formatBenchReport } from '../../src/bench/report-table.js';
import { describeMachine, type BenchResult, type PhaseFigures } from '../../src/bench/result.js';
import { loadConfig } from '../../src/config/load.js';
import { createStyle } from '../../src/terminal/style.js';
import { measureDisplayWidth } from '../../src/terminal/display-width.js';
import { assertFits, testWidths } from '../helpers/widths.js';

const style = createStyle({ isTTY: true });
const latency = { mean: 1.234, p50: 0.085, p90: 2.5, p99: 12.75, p999: 250.5, max: 1520 };

function phase(name: string, level: 'one' | 'quorum'): PhaseFigures {
  const model = { modelMs: { ...latency, p50: 1.1 }, overheadMs: { p50: -0.72, mean: 0.77 } };
  return {
    name,
    levels: { read: level, write: level },
    ops: 1_234_567,
    durationMs: 10_000,
    opsPerSec: 67_913,
    errors: { TIMEOUT: 12, OVERLOADED: 3 },
    latencyMs: latency,
    operations: [
      { op: 'read', level, ops: 617_000, opsPerSec: 33_950, latencyMs: latency, ...model },
      { op: 'update', level, ops: 617_567, opsPerSec: 33_963, latencyMs: latency, ...model },
    ],
  };
}

// A bench result as `quartet bench --level one,quorum` on the default (delayed) config writes it.
async function benchResult(): Promise<BenchResult> {
  const config = await loadConfig('configs/default.json');
  const sample = { rssMb: 243, peakRssMb: 251, cpuMs: 12_345 };
  return {
    kind: 'quartet-bench',
    version: 1,
    opsPerSec: 67_913,
    latencyMs: latency,
    errors: 15,
    cpu: {
      runOps: 2_469_134,
      nodesUsPerOp: 21.5,
      clientUsPerOp: 6.2,
      totalUsPerOp: 27.7,
      nodeReadCallsPerOp: 0.4,
      nodeWriteCallsPerOp: 0.6,
      ceilingOpsPerSec: 72_202,
    },
    startedAt: new Date(0).toISOString(),
    machine: describeMachine(),
    settings: {
      workload: 'A',
      keys: 'zipfian',
      records: 1_000_000,
      valueBytes: 100,
      inflight: 64,
      clients: 4,
      durationMs: 10_000,
      warmupMs: 1000,
      opsMax: null,
      loadLevel: 'one',
      seed: 1,
      store: 'memory',
      transport: 'msgpack',
      configPath: null,
    },
    config,
    startupMs: 333,
    load: { ...phase('load', 'one'), operations: [phase('load', 'one').operations[1]!] },
    phases: [phase('one', 'one'), phase('quorum', 'quorum')],
    nodes: [1, 2, 3, 4].map((id) => ({
      id,
      pid: 123_450 + id,
      keys: 750_000,
      started: sample,
      loaded: sample,
      finished: sample,
      runCpuMs: 9876,
      runCpuPercent: 98.7,
    })),
    client: { runCpuMs: 5432, runCpuPercent: 54.3 },
  };
}

for (const width of testWidths) {
  test(`quartet bench's tables fit ${width} columns`, async (t) => {
    const text = formatBenchReport(await benchResult(), style, width);
    assertFits(t, text, width);
    // Columns that do not fit side by side go to a second table rather than break figures.
    for (const figure of ['1,234,567', '67,913', '250.5', '1520', '251 MB']) {
      t.true(strip(text).includes(figure), figure);
    }
  });
}

test('piped, a bench table row stays one line', async (t) => {
  const text = strip(formatBenchReport(await benchResult(), style));
  const header = text.split('\n').find((line) => line.includes('p99.9'));
  t.regex(header ?? '', /phase .* ops\/s .* max .* errors/);
  t.true(measureDisplayWidth(header ?? '') > 80);
});
