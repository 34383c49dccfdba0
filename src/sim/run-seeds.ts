import { checkHistory } from '../check/checker.js';
import type { CheckReport } from '../check/report.js';
import type { NodeParts } from '../node/node-parts.js';
import { randomScenario, type ScenarioOverrides } from './random-scenario.js';
import { replayCommand } from './replay.js';
import { runScenario, type RunOptions } from './run-scenario.js';
import { faultKinds } from './scenario.js';
import { addReport, createSummary, sortSummary, type SimSummary } from './summary.js';

export interface SeedsOptions {
  from: number;
  count: number;
  overrides?: ScenarioOverrides;
  parts?: NodeParts;
  /** Failed seeds kept in the summary; later ones are only counted. */
  failuresMax?: number;
  onProgress?: (done: number) => void;
}

/** Runs and checks seeds from..from+count-1; the summary sums their reports. */
export async function runSeeds(options: SeedsOptions): Promise<SimSummary> {
  const startedMs = performance.now();
  const summary = createSummary();
  const overrides = options.overrides ?? {};
  const failuresMax = options.failuresMax ?? 20;
  for (let i = 0; i < options.count; i++) {
    const seed = options.from + i;
    const { report, kinds } = await checkSeed(
      seed,
      overrides,
      options.parts === undefined ? {} : { parts: options.parts },
    );
    addReport(summary, report, kinds);
    if (!report.ok) summary.failures++;
    if (!report.ok && summary.failed.length < failuresMax) {
      const first = report.findings.find((finding) => finding.broken);
      summary.failed.push({
        seed,
        replay: replayCommand(seed, overrides),
        finding: first === undefined ? 'a promise is broken' : `${first.kind}: ${first.message}`,
      });
    }
    options.onProgress?.(i + 1);
  }
  sortSummary(summary);
  summary.elapsedMs = performance.now() - startedMs;
  return summary;
}

/** One seed: its scenario, run, checked. */
export async function checkSeed(
  seed: number,
  overrides: ScenarioOverrides = {},
  run: Pick<RunOptions, 'parts' | 'finalAntiEntropy'> = {},
): Promise<{ report: CheckReport; kinds: string[] }> {
  const scenario = randomScenario(seed, overrides);
  const { records } = await runScenario(scenario, run);
  return { report: checkHistory(records), kinds: faultKinds(scenario) };
}
