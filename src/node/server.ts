import { createServer, type Server, type Socket } from 'node:net';
import { QuartetError, toErrorRecord } from '../core/errors.js';
import type { ClientReply, ClientRequest, PeerReply, PeerRequest } from '../core/messages.js';
import { FrameDecoder } from '../protocol/frame.js';
import { FrameWriter } from '../protocol/frame-writer.js';
import { createNonce, verifyMac } from '../protocol/handshake.js';
import { connectionsPerNodeMax, writeBufferBytesMax } from '../protocol/limits.js';
import { decodePeerRequest, encodePeerReply } from '../protocol/peer-wire.js';
import {
  isPeerRequestType,
  requestIdOf,
  validateRequest,
  type SizeLimits,
} from '../protocol/validate.js';
import type { Logger } from './logger.js';

function peersOnly(what: string): QuartetError {
  return new QuartetError(
    'UNAUTHORIZED',
    `A frame with ${what} is for peers only; a client connection sends maps of type get, put, delete, stats, dump, local and anti-entropy.`,
  );
}

/** A client connection as the node's handlers see it. */
export interface ClientConnection {
  /** A reply map, or a result in its positional form (src/protocol/result-wire.ts). */
  send(reply: ClientReply | unknown[]): void;
  readonly open: boolean;
}

export interface ServerHandlers {
  onClientRequest(request: ClientRequest, connection: ClientConnection): void;
  /** A peer's request; `reply` sends the answer back over the link's delay. */
  onPeerRequest(
    from: number,
    request: Exclude<PeerRequest, { type: 'auth' }>,
    reply: (answer: PeerReply) => void,
  ): void;
}

export interface ServerOptions {
  nodeId: number;
  secret: string;
  limits: SizeLimits;
  frameBytesMax: number;
  logger: Logger;
  handlers: ServerHandlers;
  /** Writes a reply to a peer on `writer` after the delay of the link to it. */
  sendToPeer: (peer: number, writer: FrameWriter, wire: unknown) => void;
}

/** The node's TCP server: one port for clients and peers; peers prove the secret first. */
export class NodeServer {
  readonly #options: ServerOptions;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor(options: ServerOptions) {
    this.#options = options;
    this.#server = createServer({ noDelay: true }, (socket) => this.#accept(socket));
    this.#server.maxConnections = connectionsPerNodeMax;
  }

  listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        this.#server.off('listening', onListening);
        if (error.code === 'EADDRINUSE') {
          reject(
            new QuartetError(
              'PORT_IN_USE',
              `Node ${this.#options.nodeId} cannot listen on ${host}:${port}: the port is in use; stop what holds it or change the config.`,
              { cause: error },
            ),
          );
        } else {
          reject(
            new QuartetError(
              'NODE_START_FAILED',
              `Node ${this.#options.nodeId} cannot listen on ${host}:${port}: ${error.message}`,
              { cause: error },
            ),
          );
        }
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

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    const { nodeId, secret, logger, frameBytesMax } = this.#options;
    this.#sockets.add(socket);
    const writer = new FrameWriter(socket);
    const decoder = new FrameDecoder(frameBytesMax);
    const nonce = createNonce();
    let peerId: number | undefined;
    const connection: ClientConnection = {
      send: (reply) => void writer.write(reply),
      get open() {
        return writer.writable;
      },
    };
    writer.write({ type: 'welcome', nodeId, nonce });
    socket.on('error', () => {});
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('data', (chunk) => {
      let messages: unknown[];
      try {
        messages = decoder.push(chunk);
      } catch (error) {
        // A frame we cannot read leaves the stream out of step: answer once and close.
        logger.warn(
          `closed a connection from ${socket.remoteAddress}:${socket.remotePort}: ${String((error as Error).message)}`,
        );
        writer.write({ type: 'error', id: 0, error: toErrorRecord(error) });
        writer.end();
        socket.pause();
        return;
      }
      for (const message of messages) {
        try {
          if (Array.isArray(message)) {
            // The per-operation peer messages: positional arrays (src/protocol/peer-wire.ts).
            if (peerId === undefined) throw peersOnly('an array');
            const from = peerId;
            this.#options.handlers.onPeerRequest(
              from,
              decodePeerRequest(message, this.#options.limits),
              (answer) => this.#options.sendToPeer(from, writer, encodePeerReply(answer)),
            );
            continue;
          }
          const request = validateRequest(message, this.#options.limits);
          if (request.type === 'auth') {
            if (!verifyMac(secret, nonce, request.from, nodeId, request.mac)) {
              throw new QuartetError(
                'UNAUTHORIZED',
                'The peer handshake failed: wrong cluster secret. Start every node with the same QUARTET_SECRET.',
              );
            }
            peerId = request.from;
          } else if (isPeerRequestType(request.type)) {
            if (peerId === undefined) throw peersOnly(`request type "${request.type}"`);
            const from = peerId;
            this.#options.handlers.onPeerRequest(
              from,
              request as Exclude<PeerRequest, { type: 'auth' }>,
              (answer) => this.#options.sendToPeer(from, writer, encodePeerReply(answer)),
            );
          } else {
            this.#options.handlers.onClientRequest(request as ClientRequest, connection);
          }
        } catch (error) {
          writer.write({ type: 'error', id: requestIdOf(message), error: toErrorRecord(error) });
        }
      }
      // A connection that sends faster than it reads its replies stops being read until its
      // unsent replies drain below the bound: node memory stays bounded.
      if (socket.writableLength > writeBufferBytesMax && !socket.isPaused()) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    });
  }
}
