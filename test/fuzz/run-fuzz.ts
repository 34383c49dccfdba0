// Drives inputs through each target with fast-check and reports a failure with its replay.
import fc from 'fast-check';
import { fuzzCounts } from './oracle.js';
import type { FuzzTarget } from './target.js';

export interface FuzzOptions {
  seed: number;
  /** Inputs per target. */
  runs: number;
  /** fast-check's path of a failure, to replay exactly that input. */
  path?: string;
}

export interface TargetOutcome {
  name: string;
  runs: number;
  accepted: number;
  rejected: number;
  durationMs: number;
  /** Set when an input broke the contract: what it was, what happened, how to replay it. */
  failure?: string;
}

/** Characters of a failing input shown; the replay command reproduces the whole of it. */
const shownInputCharsMax = 600;

export function fuzzTarget(target: FuzzTarget, options: FuzzOptions): TargetOutcome {
  fuzzCounts.accepted = 0;
  fuzzCounts.rejected = 0;
  const startedMs = performance.now();
  const details = fc.check(
    fc.property(target.arbitrary, (input) => target.run(input)),
    {
      seed: options.seed,
      numRuns: options.runs,
      ...(options.path === undefined ? {} : { path: options.path }),
      includeErrorInReport: true,
    },
  );
  const outcome: TargetOutcome = {
    name: target.name,
    runs: details.numRuns,
    accepted: fuzzCounts.accepted,
    rejected: fuzzCounts.rejected,
    durationMs: performance.now() - startedMs,
  };
  if (details.failed) outcome.failure = describeFailure(target, options.seed, details);
  return outcome;
}

function describeFailure(
  target: FuzzTarget,
  seed: number,
  details: fc.RunDetails<[unknown]>,
): string {
  const input =
    details.counterexample === null ? '(none)' : fc.stringify(details.counterexample[0]);
  const shown =
    input.length > shownInputCharsMax
      ? `${input.slice(0, shownInputCharsMax)}… (${input.length} chars)`
      : input;
  const error = details.errorInstance;
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return [
    `target ${target.name} failed after ${details.numRuns} inputs (seed ${seed}): ${reason}`,
    `  input: ${shown}`,
    `  replay: npm run fuzz -- --seed ${seed} --target ${target.name} --path ${details.counterexamplePath ?? ''}`,
  ].join('\n');
}
