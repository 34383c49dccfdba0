import type { Socket } from 'node:net';
import { QuartetError } from '../core/errors.js';
import {
  clientIdleDeadlineMs,
  connectionsPerNodeMax,
  handshakeDeadlineMs,
  peerConnectionsMax,
  unauthenticatedConnectionsMax,
} from '../protocol/limits.js';
import type { Logger } from './logger.js';

/**
 * What a connection has shown itself to be: a `stranger` has neither passed the peer handshake
 * nor sent a whole first request.
 */
export type ConnectionRole = 'stranger' | 'client' | 'peer';

/**
 * The node's connection slots, counted apart for strangers, clients and peers, so that neither
 * strangers nor clients can take the slots of peers; and the deadlines that close a stranger
 * that dawdles and a client that sits idle.
 */
export class ConnectionSlots {
  readonly #logger: Logger;
  /** Strangers in the order they came, each with its handshake deadline. */
  readonly #strangers = new Map<Socket, NodeJS.Timeout>();
  readonly #roles = new Map<Socket, ConnectionRole>();
  #clients = 0;
  #peers = 0;
  #evicted = 0;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  get counts(): Record<ConnectionRole, number> {
    return { stranger: this.#strangers.size, client: this.#clients, peer: this.#peers };
  }

  roleOf(socket: Socket): ConnectionRole | undefined {
    return this.#roles.get(socket);
  }

  /** Takes a new connection as a stranger; when strangers are at their bound, the oldest goes. */
  admit(socket: Socket): void {
    if (this.#strangers.size >= unauthenticatedConnectionsMax) {
      const [oldest] = this.#strangers.keys();
      if (oldest !== undefined) this.#evict(oldest);
    }
    const deadline = setTimeout(() => {
      this.#logger.debug(
        `closed ${describe(socket)}: no peer handshake or whole request within ${handshakeDeadlineMs} ms`,
      );
      socket.destroy();
    }, handshakeDeadlineMs);
    deadline.unref();
    this.#strangers.set(socket, deadline);
    this.#roles.set(socket, 'stranger');
  }

  /**
   * Moves a stranger to the clients or the peers; throws OVERLOADED when that kind has no free
   * slot (the caller answers and closes the connection).
   */
  promote(socket: Socket, role: 'client' | 'peer'): void {
    if (this.#roles.get(socket) !== 'stranger') return;
    const [count, max] =
      role === 'client'
        ? [this.#clients, connectionsPerNodeMax]
        : [this.#peers, peerConnectionsMax];
    if (count >= max) {
      throw new QuartetError(
        'OVERLOADED',
        `This node already serves ${max} ${role} connections; close idle connections, or retry later.`,
      );
    }
    clearTimeout(this.#strangers.get(socket));
    this.#strangers.delete(socket);
    this.#roles.set(socket, role);
    if (role === 'peer') {
      this.#peers++;
      return;
    }
    this.#clients++;
    socket.setTimeout(clientIdleDeadlineMs, () => {
      this.#logger.info(`closed ${describe(socket)}: idle for ${clientIdleDeadlineMs} ms`);
      socket.destroy();
    });
  }

  /** Frees the slot of a connection that closed. */
  release(socket: Socket): void {
    const role = this.#roles.get(socket);
    this.#roles.delete(socket);
    if (role === 'stranger') {
      clearTimeout(this.#strangers.get(socket));
      this.#strangers.delete(socket);
    } else if (role === 'client') {
      this.#clients--;
    } else if (role === 'peer') {
      this.#peers--;
    }
  }

  #evict(socket: Socket): void {
    this.release(socket);
    socket.destroy();
    // One line per thousand, not per connection: a flood must not flood the log too.
    if (this.#evicted++ % 1000 === 0)
      this.#logger.warn(
        `${unauthenticatedConnectionsMax} connections are waiting for a handshake or a first request; closing the oldest (${this.#evicted} so far)`,
      );
  }
}

function describe(socket: Socket): string {
  return `a connection from ${socket.remoteAddress}:${socket.remotePort}`;
}
