import type { ExecutionContext } from 'ava';
import fc from 'fast-check';

/**
 * Runs a fast-check property inside an ava test. The property asserts with node:assert (which
 * throws), so fast-check can shrink a failure and ava shows the smallest counterexample.
 */
export function holds<Ts>(
  t: ExecutionContext,
  property: fc.IProperty<Ts>,
  parameters?: fc.Parameters<Ts>,
): void {
  t.notThrows(() => fc.assert(property, { includeErrorInReport: true, ...parameters }));
}
