// `npm run fuzz [-- --count N --seed S --target T --path P]`: every target, a summary line.
import { Command, InvalidArgumentError } from 'commander';
import { fuzzTarget, type TargetOutcome } from './run-fuzz.js';
import { fuzzTargets } from './targets.js';

/** Inputs of a full run, over all targets (issue 10: at least a million). */
export const fuzzInputsDefault = 1_000_000;

function parseCount(raw: string): number {
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 0)
    throw new InvalidArgumentError(`Expected a whole number, got "${raw}".`);
  return value;
}

const program = new Command('fuzz')
  .description('Fuzz the decoders, validators, grammar, batch parser and config loaders.')
  .option('--count <n>', 'inputs over all targets', parseCount, fuzzInputsDefault)
  .option('--seed <n>', 'seed of the run (printed; a failure prints it to replay)', parseCount)
  .option('--target <name>', `one target: ${fuzzTargets.map((t) => t.name).join(', ')}`)
  .option('--path <path>', "fast-check's path of a failure, printed with its replay")
  .parse();

const options = program.opts<{ count: number; seed?: number; target?: string; path?: string }>();
const targets =
  options.target === undefined ? fuzzTargets : fuzzTargets.filter((t) => t.name === options.target);
if (targets.length === 0) {
  console.error(
    `USAGE: There is no fuzz target "${options.target}"; the targets are ${fuzzTargets.map((t) => t.name).join(', ')}.`,
  );
  process.exit(2);
}
const seed = options.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
const runs = Math.ceil(options.count / targets.length);
console.log(`fuzz: seed ${seed}, ${runs} inputs per target, ${targets.length} targets`);

const outcomes: TargetOutcome[] = [];
for (const target of targets) {
  const outcome = fuzzTarget(target, {
    seed,
    runs,
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  outcomes.push(outcome);
  const rate = Math.round(outcome.runs / (outcome.durationMs / 1000));
  console.log(
    `  ${target.name.padEnd(14)} ${String(outcome.runs).padStart(8)} inputs ${(outcome.durationMs / 1000).toFixed(1).padStart(6)} s ${String(rate).padStart(7)}/s  accepted ${outcome.accepted}, rejected with a code ${outcome.rejected}${outcome.failure === undefined ? '' : '  FAILED'}`,
  );
  if (outcome.failure !== undefined) console.log(outcome.failure);
}
const total = outcomes.reduce((sum, outcome) => sum + outcome.runs, 0);
const seconds = outcomes.reduce((sum, outcome) => sum + outcome.durationMs, 0) / 1000;
const failed = outcomes.filter((outcome) => outcome.failure !== undefined);
console.log(
  `fuzz: ${total} inputs through ${outcomes.length} targets in ${seconds.toFixed(1)} s, seed ${seed}: ${failed.length === 0 ? 'no failures' : `${failed.length} failed (${failed.map((o) => o.name).join(', ')})`}`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
