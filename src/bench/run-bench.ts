import { createStyle } from '../terminal/style.js';
import { resolveOutputWidth } from '../terminal/output-width.js';
import { compareResults } from './compare.js';
import { measureBench } from './measure.js';
import { resolveBenchOptions, type BenchCliOptions } from './options.js';
import { formatBenchReport } from './report-table.js';
import { resultPath, writeResult } from './result.js';

/** `quartet bench`: measures a fresh cluster, prints the tables, writes the JSON result. */
export async function runBench(
  cli: BenchCliOptions & { compare?: string[]; width?: number },
): Promise<void> {
  const width = resolveOutputWidth(process.stdout, cli.width);
  if (cli.compare !== undefined) {
    const [pathA, pathB] = cli.compare;
    if (pathA === undefined || pathB === undefined || cli.compare.length !== 2) {
      const { QuartetError } = await import('../core/errors.js');
      throw new QuartetError('USAGE', 'Expected `--compare A.json B.json`: two result files.');
    }
    process.stdout.write(await compareResults(pathA, pathB, width));
    return;
  }
  if (cli.vs !== undefined) {
    const { runPeers } = await import('./peers/run-peers.js');
    await runPeers(cli, width);
    return;
  }
  const options = resolveBenchOptions(cli);
  const startedAt = new Date();
  const result = await measureBench(options);
  const path = resultPath(options.out, options.workload, startedAt);
  await writeResult(path, result);
  process.stdout.write(formatBenchReport(result, createStyle(process.stdout), width));
  process.stdout.write(`Results written to ${path}\n`);
  if (result.opsPerSec === 0) process.exitCode = 1;
}
