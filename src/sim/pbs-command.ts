import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { QuartetError } from '../core/errors.js';
import type { LevelName } from '../core/levels.js';
import { createSeededRandom } from '../core/random.js';
import { answersFor } from '../check/levels.js';
import { createStyle } from '../terminal/style.js';
import { renderTable } from '../terminal/fit-table.js';
import { resolveOutputWidth } from '../terminal/output-width.js';
import { wrapWithIndent } from '../terminal/wrap-text.js';
import { defaultConfigPath } from '../terminal/paths.js';
import { measurePbs } from './pbs-measure.js';
import { predictPbs } from './pbs-model.js';
import { deriveSeed } from './scenario.js';
import { bounded, parseLevels, type SimCommandOptions } from './sim-options.js';

const trialsDefault = 2000;
const defaultPairs = 'one/one,quorum/one,one/quorum';

/** `quartet sim --pbs`: P(read t ms after an acknowledged write returns it), simulated and modelled. */
export async function runPbsCommand(options: SimCommandOptions): Promise<number> {
  const configPath = resolve(options.config ?? defaultConfigPath);
  const config = await loadConfig(
    configPath,
    options.delayUnit === undefined ? {} : { delayUnit: options.delayUnit },
  );
  const rf = config.replicationFactor;
  const pairs = parsePairs(options.levels ?? defaultPairs).filter(
    ([w, r]) => answersFor(w, rf) <= rf && answersFor(r, rf) <= rf,
  );
  const trials = bounded(options.trials ?? trialsDefault, '--trials', 1, 1_000_000);
  const delayMsMax = Math.max(1, ...config.servers.map((server) => server.delayMsMean));
  // The staleness window of uniform delays ends near twice the largest mean.
  const tMaxMs = options.tMax ?? niceCeiling(2 * delayMsMax);
  const tStepMs = options.tStep ?? tMaxMs / 10;
  if (!(tStepMs > 0)) throw new QuartetError('USAGE', 'Expected `--t-step` to be above 0 ms.');
  const tMs: number[] = [];
  for (let t = 0; t <= tMaxMs + 1e-9 && tMs.length < 1000; t += tStepMs)
    tMs.push(Math.round(t * 1000) / 1000);
  const seed = options.seed ?? 1;
  const columns: { name: string; measured: number[]; predicted: number[] }[] = [];
  for (const [write, read] of pairs) {
    const question = { config, write, read, tMs, trials };
    columns.push({
      name: `${write}/${read}`,
      measured: await measurePbs(question, seed),
      predicted: predictPbs(
        question,
        createSeededRandom(deriveSeed(seed, `pbs-model-${write}-${read}`)),
      ),
    });
  }
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify({ config: configPath, trials, tMs, columns })}\n`);
    return 0;
  }
  const style = createStyle(process.stdout);
  const width = resolveOutputWidth(process.stdout, options.width);
  process.stdout.write(
    `${formatPbsTable({ configPath, config, trials, tMs, columns }, style, width)}\n`,
  );
  return 0;
}

function parsePairs(text: string): [LevelName, LevelName][] {
  return text.split(',').map((pair) => {
    const [write, read, extra] = pair.split('/');
    if (write === undefined || read === undefined || extra !== undefined)
      throw new QuartetError(
        'USAGE',
        `Expected \`--levels\` pairs like one/one,quorum/one, got "${text}".`,
      );
    return [parseLevels(write, '--levels')[0]!, parseLevels(read, '--levels')[0]!];
  });
}

function percent(p: number): string {
  return Number.isNaN(p) ? '-' : `${(p * 100).toFixed(1)}%`;
}

function niceCeiling(ms: number): number {
  const power = 10 ** Math.floor(Math.log10(ms));
  for (const step of [1, 2, 5, 10]) if (step * power >= ms) return step * power;
  return ms;
}

export interface PbsTable {
  configPath: string;
  config: Awaited<ReturnType<typeof loadConfig>>;
  trials: number;
  tMs: number[];
  columns: { name: string; measured: number[]; predicted: number[] }[];
}

/** The staleness table, fitted to `width` (split, repeating `t`, when the pairs do not fit). */
export function formatPbsTable(
  pbs: PbsTable,
  style: ReturnType<typeof createStyle>,
  width: number | undefined,
): string {
  const { config, columns } = pbs;
  const table = renderTable({
    head: ['t (ms)', ...columns.flatMap((c) => [`${c.name} sim`, `${c.name} PBS`])].map((h) =>
      style.bold(h),
    ),
    rows: pbs.tMs.map((t, i) => [
      String(t),
      ...columns.flatMap((c) => [percent(c.measured[i]!), percent(c.predicted[i]!)]),
    ]),
    aligns: ['right', ...columns.flatMap(() => ['right', 'right'] as const)],
    width,
    rowRules: false,
    repeatColumns: 1,
  });
  const delays = config.servers.map((s) => `n${s.id} ${s.delayMsMean}ms`).join(', ');
  return [
    wrapWithIndent(
      `P(a read issued t ms after a write was acknowledged returns it): W/R levels, ${pbs.trials} trials per cell`,
      width,
      '  ',
    ),
    wrapWithIndent(
      `config ${pbs.configPath}: ${delays} (${config.delayDistribution}${config.fifo ? ', fifo' : ''}), RF ${config.replicationFactor}`,
      width,
      '  ',
    ),
    table,
    wrapWithIndent(
      'sim: the simulator running the core; PBS: the WARS model (Bailis et al., VLDB 2012) by Monte Carlo over the same delays.',
      width,
      '  ',
    ),
  ].join('\n');
}
