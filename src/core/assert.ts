/**
 * A broken invariant stops loudly (CONVENTIONS.md): where an index, a count or a state must
 * hold. Not for bad input, which gets a QuartetError with its code. Small on purpose: the
 * node's start does not load `node:assert` for it (3–5 ms of CPU, bench/README.md "Startup").
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) {
    const error = new Error(`invariant broken: ${message}`);
    error.name = 'AssertionError';
    throw error;
  }
}
