import type { ErrorRecord } from '../core/errors.js';
import type { OpResult, RepairEvent } from '../core/messages.js';
import type { OpCompleteEvent } from '../trace/trace-format.js';
import type { OperationCallbacks } from './coordinator-host.js';
import type { Tracer } from './tracer.js';

/**
 * An operation's callbacks that also write its trace: `level-met` and `op-complete` when it is
 * answered (a coordinator answers when the level is met), `op-complete` with the error when it
 * fails, and each read repair's outcome. Made only when tracing is on.
 */
export class TracedOperation implements OperationCallbacks {
  readonly #callbacks: OperationCallbacks;
  readonly #tracer: Tracer;
  readonly #op: number;

  constructor(callbacks: OperationCallbacks, tracer: Tracer, op: number) {
    this.#callbacks = callbacks;
    this.#tracer = tracer;
    this.#op = op;
  }

  respond(result: OpResult): void {
    const tracer = this.#tracer;
    const t = tracer.nowUs();
    if (tracer.emitAnswer !== undefined) tracer.emitAnswer(t, this.#op, result);
    else {
      tracer.emit({ type: 'level-met', t, op: this.#op });
      tracer.emit(completeEvent(t, this.#op, result));
    }
    this.#callbacks.respond(result);
  }

  fail(error: ErrorRecord, result: OpResult): void {
    const event = completeEvent(this.#tracer.nowUs(), this.#op, result);
    event.ok = false;
    event.error = { code: error.code, message: error.message };
    delete event.value;
    delete event.found;
    this.#tracer.emit(event);
    this.#callbacks.fail(error, result);
  }

  repair(event: RepairEvent): void {
    const { key, node, from, to, applied } = event;
    const t = this.#tracer.nowUs();
    this.#tracer.emit({
      type: 'repair',
      t,
      op: this.#op,
      node,
      key,
      to,
      applied,
      ...(from === undefined ? {} : { from }),
    });
    this.#callbacks.repair(event);
  }
}

function completeEvent(t: number, op: number, result: OpResult): OpCompleteEvent {
  const event: OpCompleteEvent = {
    type: 'op-complete',
    t,
    op,
    ok: true,
    value: result.value,
    found: result.found,
    acks: result.acks,
    required: result.required,
    replicas: result.replicas.map(({ node, state, ts }) =>
      ts === undefined ? { node, state } : { node, state, ts },
    ),
  };
  return event;
}
