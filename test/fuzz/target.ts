import type fc from 'fast-check';

/** One thing the fuzzer drives inputs through. */
export interface FuzzTarget<T = unknown> {
  name: string;
  /** What the inputs are and what is asserted, for the summary. */
  description: string;
  arbitrary: fc.Arbitrary<T>;
  /** Throws (a FuzzViolation) when the input breaks the contract. */
  run(input: T): void;
}

/** Keeps the input type of each target while collecting them in one list. */
export function defineTarget<T>(target: FuzzTarget<T>): FuzzTarget {
  return target as unknown as FuzzTarget;
}
