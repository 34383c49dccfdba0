import type { Socket } from 'node:net';
import type { FrameWriter } from '../protocol/frame-writer.js';
import { isDataRequestArray } from '../protocol/request-wire.js';
import type { DispatchBudget } from './dispatch-budget.js';

const nothingWaiting: unknown[] = [];

/**
 * Paces what a node reads from one connection. The messages of each chunk are dispatched in
 * order while the connection's unsent replies are within their bound and, for a client's get, put
 * or delete, while the node's dispatch budget admits one more operation and the connection is
 * not `isBusy` (at its most requests in flight). Otherwise the rest of
 * the chunk waits here and the socket is paused, so what waits is at most one chunk's messages;
 * dispatch goes on when the replies drain or the budget has room, and reading resumes once
 * nothing waits. Nothing is refused: a client that pipelines many requests is only slowed.
 */
export class ConnectionFlow {
  readonly #socket: Socket;
  readonly #writer: FrameWriter;
  readonly #budget: DispatchBudget;
  readonly #dispatch: (message: unknown) => void;
  readonly #isBusy: () => boolean;
  /** The chunk being dispatched; messages from `#next` on wait. */
  #waiting = nothingWaiting;
  #next = 0;
  #waitingForDrain = false;
  #waitingForRoom = false;

  constructor(
    socket: Socket,
    writer: FrameWriter,
    budget: DispatchBudget,
    dispatch: (message: unknown) => void,
    isBusy: () => boolean,
  ) {
    this.#socket = socket;
    this.#writer = writer;
    this.#budget = budget;
    this.#dispatch = dispatch;
    this.#isBusy = isBusy;
  }

  /** Messages read from the socket, in order. */
  receive(messages: unknown[]): void {
    if (messages.length === 0) return;
    if (this.#next < this.#waiting.length) {
      // Read before the pause took hold: it waits behind the rest.
      this.#waiting = this.#waiting.slice(this.#next).concat(messages);
      this.#next = 0;
      this.#socket.pause();
      return;
    }
    this.#waiting = messages;
    this.#next = 0;
    this.#run();
  }

  /** The writer passed its bound: dispatch nothing more, and read nothing, until it drains. */
  pauseUntilDrained(): void {
    this.#socket.pause();
    if (this.#waitingForDrain) return;
    this.#waitingForDrain = true;
    this.#socket.once('drain', this.#onDrain);
  }

  /** The connection closed: what waits is dropped. */
  close(): void {
    this.#waiting = nothingWaiting;
    this.#next = 0;
    if (this.#waitingForRoom) this.#budget.cancelWait(this.#run);
    this.#waitingForRoom = false;
  }

  readonly #onDrain = (): void => {
    this.#waitingForDrain = false;
    this.#run();
  };

  readonly #run = (): void => {
    this.#waitingForRoom = false;
    const waiting = this.#waiting;
    while (this.#next < waiting.length) {
      if (!this.#writer.writable) return this.close();
      if (this.#writer.full) return this.pauseUntilDrained();
      const message = waiting[this.#next];
      if (needsBudget(message)) {
        if (!this.#budget.admits) return this.#pauseForRoom(false);
        if (this.#isBusy()) return this.#pauseForRoom(true);
      }
      waiting[this.#next++] = undefined;
      this.#dispatch(message);
    }
    this.#waiting = nothingWaiting;
    this.#next = 0;
    // A closed or refused connection stays as it is; a full writer keeps the socket paused.
    if (!this.#writer.writable || this.#waitingForDrain) return;
    if (this.#writer.full) return this.pauseUntilDrained();
    if (this.#socket.isPaused()) this.#socket.resume();
  };

  /** `busy`: the connection has as many requests in flight as it may; one must finish first. */
  #pauseForRoom(busy: boolean): void {
    this.#socket.pause();
    if (this.#waitingForRoom) return;
    this.#waitingForRoom = true;
    if (busy) this.#budget.waitForRelease(this.#run);
    else this.#budget.waitForRoom(this.#run);
  }
}

/** A client's get, put or delete: what the dispatch budget counts. */
function needsBudget(message: unknown): boolean {
  if (Array.isArray(message)) return isDataRequestArray(message);
  if (typeof message !== 'object' || message === null) return false;
  const { type } = message as { type?: unknown };
  return type === 'get' || type === 'put' || type === 'delete';
}
