import { connect, type Socket } from 'node:net';
import { QuartetError, type ErrorRecord } from '../core/errors.js';
import type { PeerReply } from '../core/messages.js';
import { FrameDecoder } from '../protocol/frame.js';
import { FrameWriter } from '../protocol/frame-writer.js';
import { computeMac } from '../protocol/handshake.js';
import { decodePeerReply, encodePeerRequest, type PeerRequestBody } from '../protocol/peer-wire.js';
import { validatePeerReply, type SizeLimits } from '../protocol/validate.js';
import type { LinkScheduler } from './link-scheduler.js';
import type { Logger } from './logger.js';

/** Called once with the peer's reply, or with why there will be none. */
export type PeerReplyCallback = (error: ErrorRecord | undefined, reply?: PeerReply) => void;

export interface PeerLinkOptions {
  selfId: number;
  peer: { id: number; host: string; port: number };
  secret: string;
  limits: SizeLimits;
  frameBytesMax: number;
  scheduler: LinkScheduler;
  logger: Logger;
  onUp: (peerId: number) => void;
  onDown: (peerId: number) => void;
  /** Anything arrived from the peer: it is alive. */
  onHeard: (peerId: number) => void;
}

const reconnectDelayMsMin = 20;
const reconnectDelayMsMax = 1000;

/** This node's connection to one peer, for its own requests: handshake, reconnect, replies by id. */
export class PeerLink {
  readonly #options: PeerLinkOptions;
  readonly #pending = new Map<number, PeerReplyCallback>();
  #socket: Socket | undefined;
  #writer: FrameWriter | undefined;
  #up = false;
  #closed = false;
  #nextId = 1;
  #reconnectDelayMs = reconnectDelayMsMin;
  #reconnectTimer: NodeJS.Timeout | undefined;

  constructor(options: PeerLinkOptions) {
    this.#options = options;
  }

  get peerId(): number {
    return this.#options.peer.id;
  }

  get isUp(): boolean {
    return this.#up;
  }

  start(): void {
    this.#dial();
  }

  close(): void {
    this.#closed = true;
    if (this.#reconnectTimer !== undefined) clearTimeout(this.#reconnectTimer);
    this.#socket?.destroy();
    this.#failPending({ code: 'UNAVAILABLE', message: 'The node is shutting down.' });
  }

  /**
   * Sends a request through the link's delay; `onReply` gets the peer's reply, or an error
   * when the link is down or goes down first. A message the link drops is never answered: the
   * caller's deadline covers it.
   */
  send(body: PeerRequestBody, onReply: PeerReplyCallback): void {
    const writer = this.#writer;
    if (!this.#up || writer === undefined) {
      onReply(this.#downError());
      return;
    }
    const id = this.#nextId++;
    this.#pending.set(id, onReply);
    const message = encodePeerRequest(body, id);
    const scheduler = this.#options.scheduler;
    if (scheduler.passesAtOnce(this.peerId)) {
      if (!writer.write(message)) this.#settle(id, undefined, this.#downError());
      return;
    }
    const sent = scheduler.send(this.peerId, () => {
      if (!writer.write(message)) this.#settle(id, undefined, this.#downError());
    });
    if (!sent) this.#pending.delete(id);
  }

  /** `send` as a promise, for the paths that are not per operation (repair, hints, purge). */
  request(body: PeerRequestBody): Promise<PeerReply> {
    return new Promise((resolve, reject) => {
      this.send(body, (error, reply) => {
        if (error === undefined) resolve(reply!);
        else reject(new QuartetError(error.code, error.message));
      });
    });
  }

  /** Sends a one-way message (a heartbeat) through the link's delay; false when not sent. */
  notify(body: PeerRequestBody): boolean {
    const writer = this.#writer;
    if (!this.#up || writer === undefined) return false;
    const message = encodePeerRequest(body, 0);
    return this.#options.scheduler.send(this.peerId, () => void writer.write(message), 'heartbeat');
  }

  #dial(): void {
    if (this.#closed) return;
    const { host, port } = this.#options.peer;
    const socket = connect({ host, port, noDelay: true });
    this.#socket = socket;
    const decoder = new FrameDecoder(this.#options.frameBytesMax);
    socket.on('data', (chunk) => {
      try {
        for (const message of decoder.push(chunk)) this.#receive(socket, message);
      } catch (error) {
        this.#options.logger.warn(
          `peer ${this.peerId}: bad frame (${String(error)}); reconnecting`,
        );
        socket.destroy();
      }
    });
    socket.on('error', () => {
      // 'close' follows and handles reconnection.
    });
    socket.on('close', () => this.#onClose(socket));
  }

  #receive(socket: Socket, message: unknown): void {
    this.#options.onHeard(this.peerId);
    const fields = message as { type?: unknown; nodeId?: unknown; nonce?: unknown };
    if (fields.type === 'welcome') {
      this.#authenticate(socket, fields.nodeId, fields.nonce);
      return;
    }
    let reply: PeerReply;
    try {
      reply = Array.isArray(message)
        ? decodePeerReply(message, this.#options.limits)
        : validatePeerReply(message, this.#options.limits);
    } catch (error) {
      this.#options.logger.warn(`peer ${this.peerId}: ignored a bad reply (${String(error)})`);
      return;
    }
    this.#settle(reply.id, reply);
  }

  #authenticate(socket: Socket, nodeId: unknown, nonce: unknown): void {
    const { selfId, peer, secret } = this.#options;
    if (nodeId !== peer.id || !(nonce instanceof Uint8Array)) {
      this.#options.logger.error(
        `${peer.host}:${peer.port} answered as node ${String(nodeId)}, expected node ${peer.id}; check that every node uses the same config.`,
      );
      socket.destroy();
      return;
    }
    const writer = new FrameWriter(socket);
    writer.write({ type: 'auth', from: selfId, mac: computeMac(secret, nonce, selfId, peer.id) });
    this.#writer = writer;
    this.#up = true;
    this.#reconnectDelayMs = reconnectDelayMsMin;
    this.#options.logger.info(`peer ${peer.id} connected`);
    this.#options.onUp(peer.id);
  }

  #onClose(socket: Socket): void {
    if (socket !== this.#socket) return;
    const wasUp = this.#up;
    this.#up = false;
    this.#writer = undefined;
    this.#socket = undefined;
    this.#options.scheduler.discard(this.peerId);
    this.#failPending(this.#downError());
    if (wasUp) {
      this.#options.logger.warn(`peer ${this.peerId} disconnected`);
      this.#options.onDown(this.peerId);
    }
    if (this.#closed) return;
    this.#reconnectTimer = setTimeout(() => this.#dial(), this.#reconnectDelayMs);
    this.#reconnectDelayMs = Math.min(this.#reconnectDelayMs * 2, reconnectDelayMsMax);
  }

  #settle(id: number, reply: PeerReply | undefined, error?: ErrorRecord): void {
    const onReply = this.#pending.get(id);
    if (onReply === undefined) return;
    this.#pending.delete(id);
    if (reply !== undefined) onReply(undefined, reply);
    else onReply(error ?? this.#downError());
  }

  #failPending(error: ErrorRecord): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const onReply of pending) onReply(error);
  }

  #downError(): ErrorRecord {
    return { code: 'UNAVAILABLE', message: `Node ${this.peerId} is not connected.` };
  }
}
