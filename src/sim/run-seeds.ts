import { checkHistory } from '../check/checker.js';
import type { CheckReport } from '../check/report.js';
import type { NodeParts } from '../node/node-parts.js';
import { randomScenario, type ScenarioOverrides } from './random-scenario.js';
import { replayCommand } from './replay.js';
import { runScenario, type RunOptions } from './run-scenario.js';
import { faultKinds } from './scenario.js';
import { chunkSeedsDefault, runSeedsInWorkers } from './seed-pool.js';
import { addReport, createSummary, sortSummary, type SimSummary } from './summary.js';

export interface SeedsOptions {
  from: number;
  count: number;
  overrides?: ScenarioOverrides;
  parts?: NodeParts;
  /** Failed seeds kept in the summary; later ones are only counted. */
  failuresMax?: number;
  /** Worker threads to spread the seeds over (default 1: this thread). Not with `parts`. */
  workers?: number;
  /** Seeds a worker runs at a time. */
  chunkSeeds?: number;
  onProgress?: (done: number) => void;
}

const failuresMaxDefault = 20;

/**
 * Runs and checks seeds from..from+count-1; the summary sums their reports. With `workers` above
 * 1 they run in worker threads, and the summary is the same as in one thread.
 */
export async function runSeeds(options: SeedsOptions): Promise<SimSummary> {
  const workers = options.workers ?? 1;
  const chunkSeeds = options.chunkSeeds ?? chunkSeedsDefault;
  // Broken parts for mutation tests are functions, which cannot cross to a worker.
  if (workers <= 1 || options.parts !== undefined || options.count <= chunkSeeds)
    return runSeedsHere(options);
  return runSeedsInWorkers({
    from: options.from,
    count: options.count,
    overrides: options.overrides ?? {},
    failuresMax: options.failuresMax ?? failuresMaxDefault,
    workers,
    chunkSeeds,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
}

/** `runSeeds` in this thread, one seed after another. */
export async function runSeedsHere(options: SeedsOptions): Promise<SimSummary> {
  const startedMs = performance.now();
  const summary = createSummary();
  const overrides = options.overrides ?? {};
  const failuresMax = options.failuresMax ?? failuresMaxDefault;
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
