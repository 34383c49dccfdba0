// The short fuzz of `npm test`: every target, a few thousand inputs, a fresh seed each run.
import test from 'ava';
import { fuzzTarget } from './run-fuzz.js';
import { fuzzTargets } from './targets.js';

/** Inputs per target in `npm test`; `npm run fuzz` drives a million over all of them. */
const shortRunsPerTarget = 2_000;
const seed = Number(process.env.QUARTET_FUZZ_SEED ?? Date.now() >>> 0);

for (const target of fuzzTargets) {
  test(`fuzz ${target.name}: every input is accepted or rejected with a registry code`, (t) => {
    const outcome = fuzzTarget(target, { seed, runs: shortRunsPerTarget });
    t.log(`seed ${seed}: ${outcome.accepted} accepted, ${outcome.rejected} rejected with a code`);
    if (outcome.failure !== undefined) t.fail(outcome.failure);
    t.is(outcome.runs, shortRunsPerTarget);
    t.true(outcome.accepted > 0, 'no input reached the accepting path: the arbitraries are off');
  });
}
