import { createServer, type Server, type Socket } from 'node:net';
import { QuartetError, toErrorRecord } from '../core/errors.js';
import type {
  ClientReply,
  ClientRequest,
  ConnectionCounts,
  PeerReply,
  PeerRequest,
  ServiceRequest,
} from '../core/messages.js';
import { FrameBudget } from '../protocol/frame-budget.js';
import { FrameDecoder } from '../protocol/frame.js';
import { FrameWriter } from '../protocol/frame-writer.js';
import type { ControlMessage } from '../protocol/control.js';
import { computeMac, createNonce, verifyMac } from '../protocol/handshake.js';
import { partialFrameBytesMax, writeBufferBytesMax } from '../protocol/limits.js';
import { decodePeerRequest } from '../protocol/peer-wire.js';
import { decodeDataRequest, isDataRequestArray } from '../protocol/request-wire.js';
import {
  isPeerRequestType,
  requestIdOf,
  validateRequest,
  type SizeLimits,
} from '../protocol/validate.js';
import { ConnectionFlow } from './connection-flow.js';
import { ConnectionSlots } from './connection-slots.js';
import type { DispatchBudget } from './dispatch-budget.js';
import type { Logger } from './logger.js';
import { answerOperatorRequest, isOperatorRequest } from './operator-requests.js';
import type { SwitchableTracer } from './operator-trace.js';

function peersOnly(what: string): QuartetError {
  return new QuartetError(
    'UNAUTHORIZED',
    `A frame with ${what} is for peers only; a client connection sends get, put and delete arrays (tags 11 to 14) and maps of type get, put, delete, stats, dump, local and anti-entropy.`,
  );
}

/** A client connection as the node's handlers see it. */
export interface ClientConnection {
  /** A reply map, or a result in its positional form (src/protocol/result-wire.ts). */
  send(reply: ClientReply | unknown[]): void;
  readonly open: boolean;
}

export interface ServerHandlers {
  onClientRequest(request: ServiceRequest, connection: ClientConnection): void;
  /** Whether the connection has as many requests in flight as it may: the next one waits. */
  isClientBusy(connection: ClientConnection): boolean;
  /**
   * A control message (a fault: delay, loss, partition, skew) from an operator connection that
   * proved the cluster secret; false when this node cannot apply it.
   */
  onControl(control: ControlMessage): boolean;
  /** A peer's request; `reply` sends the answer back over the link's delay. */
  onPeerRequest(
    from: number,
    request: Exclude<PeerRequest, { type: 'auth' }>,
    reply: (answer: PeerReply) => void,
  ): void;
  /** A peer proved the cluster secret on a connection it dialled: it is up, and listens. */
  onPeerConnected?(from: number): void;
  /** The tracer an operator switches on (`quartet node`); absent: trace requests are refused. */
  operatorTracer?: SwitchableTracer;
}

export interface ServerOptions {
  nodeId: number;
  secret: string;
  limits: SizeLimits;
  frameBytesMax: number;
  logger: Logger;
  handlers: ServerHandlers;
  /** What client operations in flight hold, node-wide: requests are dispatched while it admits. */
  budget: DispatchBudget;
  /** Writes the answer to a peer's request on `writer` after the delay of the link to it. */
  sendToPeer: (
    peer: number,
    writer: FrameWriter,
    request: Exclude<PeerRequest, { type: 'auth' }>,
    answer: PeerReply,
  ) => void;
}

/** One accepted connection, as the server tracks it. */
interface Connection {
  socket: Socket;
  writer: FrameWriter;
  decoder: FrameDecoder;
  /** This node's nonce in its welcome: the server half of the handshake's nonces. */
  nonce: Buffer;
  /** The peer's id once it passed the handshake. */
  peerId?: number;
  /** An orchestrator that proved the cluster secret: it may send control messages. */
  operator?: boolean;
  client: ClientConnection;
}

/** The node's TCP server: one port for clients and peers; peers prove the secret first. */
export class NodeServer {
  readonly #options: ServerOptions;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  /** Every open connection's writer, for the reply bytes the node holds. */
  readonly #writers = new Set<FrameWriter>();
  readonly #slots: ConnectionSlots;
  /** Incomplete frames of strangers and clients, across all connections. */
  readonly #budget = new FrameBudget(partialFrameBytesMax);

  constructor(options: ServerOptions) {
    this.#options = options;
    this.#slots = new ConnectionSlots(options.logger);
    // No `maxConnections`: it would refuse peers along with strangers. ConnectionSlots bounds
    // each kind of connection instead.
    this.#server = createServer({ noDelay: true }, (socket) => this.#accept(socket));
  }

  listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        this.#server.off('listening', onListening);
        const where = `Node ${this.#options.nodeId} cannot listen on ${host}:${port}`;
        reject(
          error.code === 'EADDRINUSE'
            ? new QuartetError(
                'PORT_IN_USE',
                `${where}: the port is in use; stop what holds it or change the config.`,
                { cause: error },
              )
            : new QuartetError('NODE_START_FAILED', `${where}: ${error.message}`, { cause: error }),
        );
      };
      const onListening = () => {
        this.#server.off('error', onError);
        resolve();
      };
      this.#server.once('error', onError);
      this.#server.once('listening', onListening);
      this.#server.listen({ host, port, exclusive: true });
    });
  }

  get connections(): ConnectionCounts {
    const { stranger, client, peer } = this.#slots.counts;
    return {
      strangers: stranger,
      clients: client,
      peers: peer,
      partialFrameBytes: this.#budget.usedBytes,
      inflightBytes: this.#options.budget.usedBytes,
      unsentBytes: this.#unsentBytes(),
    };
  }

  #unsentBytes(): number {
    let bytes = 0;
    for (const writer of this.#writers) bytes += writer.unsentBytes;
    return bytes;
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    const { nodeId, logger, frameBytesMax, limits } = this.#options;
    this.#sockets.add(socket);
    this.#slots.admit(socket);
    const writer: FrameWriter = new FrameWriter(socket, {
      unsentBytesMax: writeBufferBytesMax,
      onFull: () => flow.pauseUntilDrained(),
    });
    this.#writers.add(writer);
    const flow: ConnectionFlow = new ConnectionFlow(
      socket,
      writer,
      this.#options.budget,
      (message) => {
        try {
          this.#receive(connection, message);
        } catch (error) {
          writer.write({ type: 'error', id: requestIdOf(message), error: toErrorRecord(error) });
        }
      },
      () => this.#options.handlers.isClientBusy(connection.client),
    );
    const decoder = new FrameDecoder(frameBytesMax, {
      budget: this.#budget,
      // The frame's length was read, so the stream is still in step: answer and go on.
      onFrameError: (error) =>
        void writer.write({ type: 'error', id: 0, error: toErrorRecord(error) }),
    });
    const connection: Connection = {
      socket,
      writer,
      decoder,
      nonce: createNonce(),
      client: {
        send: (reply) => void writer.write(reply),
        get open() {
          return writer.writable;
        },
      },
    };
    writer.write({
      type: 'welcome',
      nodeId,
      nonce: connection.nonce,
      limits: {
        keyBytesMax: limits.keyBytesMax,
        valueBytesMax: limits.valueBytesMax,
        frameBytesMax,
      },
    });
    socket.on('error', () => {
      // 'close' follows and frees what the connection held.
    });
    socket.on('close', () => {
      // An operator's trace ends with its connection.
      if (connection.operator === true) this.#options.handlers.operatorTracer?.stop(connection);
      this.#sockets.delete(socket);
      this.#writers.delete(writer);
      this.#slots.release(socket);
      decoder.release();
      flow.close();
    });
    socket.on('data', (chunk) => {
      let messages: unknown[];
      try {
        messages = decoder.push(chunk);
      } catch (error) {
        this.#refuse(connection, error, 0);
        return;
      }
      flow.receive(messages);
    });
  }

  #receive(connection: Connection, message: unknown): void {
    const { limits } = this.#options;
    if (Array.isArray(message)) {
      // The per-operation messages: positional arrays, a peer's (src/protocol/peer-wire.ts) or
      // a client's get, put and delete (src/protocol/request-wire.ts).
      if (connection.peerId !== undefined) {
        this.#toPeerHandler(connection, connection.peerId, decodePeerRequest(message, limits));
      } else if (isDataRequestArray(message)) {
        this.#toClientHandler(connection, decodeDataRequest(message, limits));
      } else {
        throw peersOnly('an array of that tag');
      }
      return;
    }
    const request = validateRequest(message, limits);
    if (request.type === 'auth') {
      this.#authenticate(connection, request);
    } else if (isPeerRequestType(request.type)) {
      if (connection.peerId === undefined) throw peersOnly(`request type "${request.type}"`);
      const peerRequest = request as Exclude<PeerRequest, { type: 'auth' }>;
      this.#toPeerHandler(connection, connection.peerId, peerRequest);
    } else {
      this.#toClientHandler(connection, request as ClientRequest);
    }
  }

  #toClientHandler(connection: Connection, request: ClientRequest): void {
    try {
      this.#slots.promote(connection.socket, 'client');
    } catch (error) {
      this.#refuse(connection, error, request.id);
      return;
    }
    if (isOperatorRequest(request)) {
      const { nodeId, secret, handlers, logger } = this.#options;
      const answered = answerOperatorRequest(request, connection, {
        nodeId,
        secret,
        handlers,
        logger,
      });
      if (answered !== undefined) this.#refuse(connection, answered, request.id);
    } else this.#options.handlers.onClientRequest(request, connection.client);
  }

  /**
   * The listener's side of the mutual handshake: checks the dialer's proof over both nonces,
   * and only then answers with its own. A wrong proof closes the connection.
   */
  #authenticate(connection: Connection, request: Extract<PeerRequest, { type: 'auth' }>): void {
    const { nodeId, secret } = this.#options;
    if (this.#slots.roleOf(connection.socket) !== 'stranger') {
      throw new QuartetError(
        'UNAUTHORIZED',
        'The peer handshake must come first on a connection, and only once.',
      );
    }
    const nonces = { server: connection.nonce, client: request.nonce };
    if (!verifyMac(secret, 'client', nonces, request.from, nodeId, request.mac)) {
      const error = new QuartetError(
        'UNAUTHORIZED',
        `The peer handshake of node ${request.from} failed: wrong cluster secret. Start every node with the same QUARTET_SECRET.`,
      );
      this.#refuse(connection, error, 0);
      return;
    }
    try {
      this.#slots.promote(connection.socket, 'peer');
    } catch (error) {
      this.#refuse(connection, error, 0);
      return;
    }
    connection.peerId = request.from;
    connection.decoder.leaveBudget();
    const mac = computeMac(secret, 'server', nonces, nodeId, request.from);
    connection.writer.write({ type: 'auth-ok', mac });
    this.#options.handlers.onPeerConnected?.(request.from);
  }

  #toPeerHandler(
    connection: Connection,
    from: number,
    request: Exclude<PeerRequest, { type: 'auth' }>,
  ): void {
    this.#options.handlers.onPeerRequest(from, request, (answer) =>
      this.#options.sendToPeer(from, connection.writer, request, answer),
    );
  }

  /** Answers once with why, closes the connection, and logs one line. */
  #refuse(connection: Connection, error: unknown, id: number): void {
    const { socket, writer } = connection;
    const record = toErrorRecord(error);
    this.#options.logger.warn(
      `closed a connection from ${socket.remoteAddress}:${socket.remotePort}: ${record.message}`,
    );
    writer.write({ type: 'error', id, error: record });
    writer.end();
    socket.pause();
  }
}
