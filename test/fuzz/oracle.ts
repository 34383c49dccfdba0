// What every fuzz target asserts: an input is accepted, or rejected with a registry code.
import { isErrorCode, QuartetError, type ErrorCode } from '../../src/core/errors.js';

/** Inputs accepted and rejected so far, to show how deep the inputs reach; the runner resets it. */
export const fuzzCounts = { accepted: 0, rejected: 0 };

/** An input that broke the contract; fast-check reports it with the seed that replays it. */
export class FuzzViolation extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FuzzViolation';
  }
}

/**
 * Runs `parse` on one input: returns what it accepted, or undefined when it rejected the input
 * with a QuartetError whose code is in the registry (and among `codes`, when given). Any other
 * throw is a violation.
 */
export function acceptOrReject<T>(parse: () => T, codes?: readonly ErrorCode[]): T | undefined {
  try {
    const accepted = parse();
    fuzzCounts.accepted++;
    return accepted;
  } catch (error) {
    fuzzCounts.rejected++;
    if (!(error instanceof QuartetError)) {
      const shown = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new FuzzViolation(`threw something other than a QuartetError: ${shown}`, {
        cause: error,
      });
    }
    if (!isErrorCode(error.code)) {
      throw new FuzzViolation(`threw a QuartetError with unregistered code ${String(error.code)}`);
    }
    if (codes !== undefined && !codes.includes(error.code)) {
      throw new FuzzViolation(`rejected with ${error.code}, expected ${codes.join(' or ')}`);
    }
    if (error.message.trim() === '' || error.message.includes('\n')) {
      throw new FuzzViolation(`rejected with ${error.code} but no one-line message`);
    }
    return undefined;
  }
}

/** A property of what was accepted; a violation when it does not hold. */
export function check(condition: boolean, message: string): void {
  if (!condition) throw new FuzzViolation(message);
}
