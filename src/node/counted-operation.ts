import type { ErrorRecord } from '../core/errors.js';
import type { OpResult, RepairEvent } from '../core/messages.js';
import type { OperationCallbacks } from './coordinator-host.js';
import type { BudgetHold } from './dispatch-budget.js';

/**
 * An operation counted until it is done: in its session's requests in flight until it is
 * answered (`release`), and in the node's dispatch budget until its coordination finishes
 * (`hold`: a read keeps its replicas' answers until the last one arrives).
 */
export class CountedOperation implements OperationCallbacks {
  readonly #callbacks: OperationCallbacks;
  #release: (() => void) | undefined;
  readonly #hold: BudgetHold;
  readonly #baseBytes: number;
  /** Replicas a read asked: each answer is assumed as big as the largest so far. 0 for a write. */
  readonly #readReplicas: number;
  #largestAnswerBytes = 0;

  constructor(
    callbacks: OperationCallbacks,
    release: () => void,
    hold: BudgetHold,
    baseBytes: number,
    readReplicas: number,
  ) {
    this.#callbacks = callbacks;
    this.#release = release;
    this.#hold = hold;
    this.#baseBytes = baseBytes;
    this.#readReplicas = readReplicas;
  }

  respond(result: OpResult): void {
    this.#answered();
    this.#callbacks.respond(result);
  }

  fail(error: ErrorRecord, result: OpResult): void {
    this.#answered();
    this.#callbacks.fail(error, result);
  }

  repair(event: RepairEvent): void {
    this.#callbacks.repair(event);
  }

  readAnswered(valueBytes: number): void {
    if (this.#readReplicas === 0) return;
    this.#largestAnswerBytes = Math.max(this.#largestAnswerBytes, valueBytes);
    this.#hold.resize(this.#baseBytes + this.#largestAnswerBytes * this.#readReplicas);
  }

  done(): void {
    this.#hold.close();
  }

  #answered(): void {
    this.#release?.();
    this.#release = undefined;
  }
}
