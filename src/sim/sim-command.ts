import { QuartetError } from '../core/errors.js';
import { writeFile } from 'node:fs/promises';
import { checkHistory } from '../check/checker.js';
import { formatHistory } from '../check/history.js';
import { formatReport } from '../check/report-table.js';
import { createStyle } from '../terminal/style.js';
import { resolveOutputWidth } from '../terminal/output-width.js';
import { describeScenario } from './describe-scenario.js';
import { randomScenario } from './random-scenario.js';
import { replayCommand } from './replay.js';
import { runScenario } from './run-scenario.js';
import { runSeeds } from './run-seeds.js';
import { defaultWorkers } from './seed-pool.js';
import { bounded, overridesFrom, simBounds, type SimCommandOptions } from './sim-options.js';
import { formatSummary } from './summary-table.js';
import { formatTrace } from '../trace/trace-format.js';
import { toReportData, writeRunReport } from '../trace/report-command.js';

/** `quartet sim`: one seed in detail, many seeds summed up, or the PBS table. Returns the exit code. */
export async function runSimCommand(options: SimCommandOptions): Promise<number> {
  if (options.pbs === true) {
    const { runPbsCommand } = await import('./pbs-command.js');
    return runPbsCommand(options);
  }
  const overrides = await overridesFrom(options);
  const style = createStyle(process.stdout);
  const width = resolveOutputWidth(process.stdout, options.width);
  if (options.seeds !== undefined && options.seed === undefined) {
    for (const [flag, given] of [
      ['--trace', options.trace],
      ['--report', options.report],
    ] as const) {
      if (given !== undefined)
        throw new QuartetError(
          'USAGE',
          `\`${flag}\` writes one seed\u2019s ${flag.slice(2)}: give \`--seed N\` instead of \`--seeds\`.`,
        );
    }
    const count = bounded(options.seeds, '--seeds', 1, simBounds.seedsMax);
    const from = options.from ?? 1;
    const workers =
      options.workers === undefined
        ? defaultWorkers()
        : bounded(options.workers, '--workers', 1, simBounds.workersMax);
    const progress = process.stderr.isTTY === true && options.json !== true;
    let shown = 0;
    const summary = await runSeeds({
      from,
      count,
      overrides,
      workers,
      onProgress: (done) => {
        if (!progress || done - shown < 500) return;
        shown = done;
        process.stderr.write(`\r${done}/${count} seeds`);
      },
    });
    if (progress) process.stderr.write('\r\x1b[K');
    if (options.json === true) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(`${formatSummary(summary, from, style, width)}\n`);
    return summary.failures === 0 ? 0 : 1;
  }
  const seed = options.seed ?? 1;
  const scenario = randomScenario(seed, overrides);
  const replay = replayCommand(seed, overrides);
  const traced = options.trace !== undefined || options.report !== undefined;
  const run = await runScenario(scenario, { replay, trace: traced });
  if (options.history !== undefined) await writeFile(options.history, formatHistory(run.records));
  if (options.trace !== undefined) await writeFile(options.trace, formatTrace(run.trace!));
  const reported =
    options.report === undefined
      ? undefined
      : await writeRunReport(toReportData(run.trace!, run.records), options.report);
  const report = checkHistory(run.records);
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify({ scenario, report })}\n`);
  } else {
    const ran = `ran ${run.events} events, ${run.messages.sent} messages (${run.messages.dropped} dropped), ${run.repairs} repairs in ${Math.round(run.endMs)} virtual ms`;
    const saved =
      (options.history === undefined ? '' : `\nhistory: ${options.history}`) +
      (options.trace === undefined ? '' : `\ntrace: ${options.trace}`) +
      (reported === undefined ? '' : `\n${reported}`);
    process.stdout.write(
      `${describeScenario(scenario)}\n${ran}${saved}\n\n${formatReport(report, style, width)}\nreplay: ${replay}\n`,
    );
  }
  return report.ok ? 0 : 1;
}
