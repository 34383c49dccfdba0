import { QuartetError, type ErrorRecord } from './errors.js';
import type { OpResult } from './messages.js';

/**
 * A data operation that failed after its replicas were asked (TIMEOUT, UNAVAILABLE): `result`
 * says what they had answered by then, so a failure shows who answered, who was pending and
 * who was down.
 */
export class OperationError extends QuartetError {
  readonly result: OpResult;

  constructor(error: ErrorRecord, result: OpResult) {
    super(error.code, error.message);
    this.name = 'OperationError';
    this.result = result;
  }
}
