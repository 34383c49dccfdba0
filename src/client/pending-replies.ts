import { QuartetError } from '../core/errors.js';
import { decodeResult, resultTag, type SentOperation } from '../protocol/result-wire.js';
import { toQuartetError } from './node-frames.js';

/** Called once with a request's reply, or with why there will be none. */
export type ReplyCallback<T> = (error: QuartetError | undefined, reply?: T) => void;

interface Pending {
  onReply: ReplyCallback<never>;
  /** For get, put and delete: what the result array leaves out. */
  operation?: SentOperation;
}

/**
 * The requests of one connection that wait for their replies, by id: replies may come out of
 * order, each settles its own request once, and a connection that ends fails the rest.
 */
export class PendingReplies {
  readonly #nodeId: number;
  readonly #pending = new Map<number, Pending>();

  constructor(nodeId: number) {
    this.#nodeId = nodeId;
  }

  add(id: number, onReply: ReplyCallback<never>, operation: SentOperation | undefined): void {
    this.#pending.set(id, { onReply, operation });
  }

  /** A map reply (or error) with its request's id; an error with none gives up on them all. */
  settle(id: number, message: Record<string, unknown>): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) {
      if (message.type === 'error') this.failAll(message.error);
      return;
    }
    this.#pending.delete(id);
    if (message.type === 'error') pending.onReply(toQuartetError(message.error));
    else pending.onReply(undefined, message as never);
  }

  /** A get, put or delete's result array (src/protocol/result-wire.ts). */
  settleResult(wire: unknown[]): void {
    const id = wire[1];
    const pending = typeof id === 'number' ? this.#pending.get(id) : undefined;
    if (pending === undefined) return;
    this.#pending.delete(id as number);
    try {
      if (wire[0] !== resultTag || pending.operation === undefined) {
        throw new QuartetError(
          'BAD_REQUEST',
          `Node ${this.#nodeId} answered request ${String(id)} with an array that is not a result; is it running the same quartet version as this client?`,
        );
      }
      pending.onReply(undefined, decodeResult(wire, pending.operation) as never);
    } catch (error) {
      pending.onReply(error as QuartetError);
    }
  }

  /** Every waiting request fails with `error` (the connection closed, or the node gave up). */
  failAll(error: unknown): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    const failure = error instanceof QuartetError ? error : toQuartetError(error);
    for (const { onReply } of pending) onReply(failure);
  }
}
