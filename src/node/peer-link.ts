import { connect, type Socket } from 'node:net';
import { QuartetError, type ErrorRecord } from '../core/errors.js';
import type { TraceNote } from './tracer.js';
import type { PeerReply } from '../core/messages.js';
import { FrameDecoder } from '../protocol/frame.js';
import { FrameWriter } from '../protocol/frame-writer.js';
import {
  computeMac,
  createNonce,
  nonceBytes,
  verifyMac,
  type HandshakeNonces,
} from '../protocol/handshake.js';
import { handshakeDeadlineMs } from '../protocol/limits.js';
import { decodePeerReply, encodePeerRequest, type PeerRequestBody } from '../protocol/peer-wire.js';
import { validateAuthOk, validatePeerReply, type SizeLimits } from '../protocol/validate.js';
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

/** Where one dialled connection is in the handshake, and what it carries. */
interface Handshake {
  state: 'welcome' | 'auth-ok' | 'up';
  nonces?: HandshakeNonces;
  writer?: FrameWriter;
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
  /** The last handshake failure logged: a listener that keeps failing is logged once. */
  #lastRefusal: string | undefined;

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

  /**
   * Dials at once if the link is down and waiting to redial: the peer was just heard from (it
   * dialled this node), so the wait would only delay the cluster's start (bench/README.md).
   */
  dialNow(): void {
    if (this.#closed || this.#up) return;
    // A dial under way that fails anyway retries after the shortest wait.
    this.#reconnectDelayMs = reconnectDelayMsMin;
    if (this.#reconnectTimer === undefined) return;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
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
  send(body: PeerRequestBody, onReply: PeerReplyCallback, note?: TraceNote): void {
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
      const written = writer.write(message);
      if (note !== undefined) scheduler.traceAtOnce(this.peerId, note, written);
      if (!written) this.#settle(id, undefined, this.#downError());
      return;
    }
    this.#sendDelayed(writer, message, id, note);
  }

  /**
   * `send` through a link with a delay, loss or partition: the closure the scheduler holds is
   * made here, not in `send`, where V8 would allocate its context on every call, fast path too.
   */
  #sendDelayed(writer: FrameWriter, message: unknown, id: number, note?: TraceNote): void {
    const sent = this.#options.scheduler.send(
      this.peerId,
      () => {
        if (writer.write(message)) return true;
        this.#settle(id, undefined, this.#downError());
        return false;
      },
      'data',
      note,
    );
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

  /**
   * Sends a one-way message (a heartbeat) through the link's delay; false when not sent. With a
   * `note` (tracing on) the links trace it like any message.
   */
  notify(body: PeerRequestBody, note?: TraceNote): boolean {
    const writer = this.#writer;
    if (!this.#up || writer === undefined) return false;
    const message = encodePeerRequest(body, 0);
    return this.#options.scheduler.send(
      this.peerId,
      () => writer.write(message),
      'heartbeat',
      note,
    );
  }

  #dial(): void {
    if (this.#closed) return;
    const { host, port } = this.#options.peer;
    const socket = connect({ host, port, noDelay: true });
    this.#socket = socket;
    const handshake: Handshake = { state: 'welcome' };
    // A listener that never finishes the handshake (not a quartet node, or a stuck one) must
    // not hold the link: give up on it and dial again.
    const deadline = setTimeout(
      () => this.#refuse(socket, `no handshake within ${handshakeDeadlineMs} ms`),
      handshakeDeadlineMs,
    );
    const decoder = new FrameDecoder(this.#options.frameBytesMax);
    socket.on('data', (chunk) => {
      try {
        for (const message of decoder.push(chunk)) {
          if (socket.destroyed) return;
          if (handshake.state === 'up') this.#receive(message);
          else this.#handshake(socket, handshake, message, deadline);
        }
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
    socket.on('close', () => {
      clearTimeout(deadline);
      this.#onClose(socket);
    });
  }

  #receive(message: unknown): void {
    this.#options.onHeard(this.peerId);
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

  /**
   * The dialer's side of the mutual handshake: the listener's welcome gets this node's proof
   * over both nonces; the link is up only once the listener's own proof checks.
   */
  #handshake(
    socket: Socket,
    handshake: Handshake,
    message: unknown,
    deadline: NodeJS.Timeout,
  ): void {
    const { selfId, peer, secret } = this.#options;
    const fields = message as {
      type?: unknown;
      nodeId?: unknown;
      nonce?: unknown;
      error?: unknown;
    };
    if (fields.type === 'error') {
      const { message: why } = (fields.error ?? {}) as { message?: unknown };
      this.#refuse(socket, `it refused this node's handshake: ${String(why)}`);
      return;
    }
    if (handshake.state === 'welcome') {
      if (fields.type !== 'welcome' || fields.nodeId !== peer.id) {
        this.#refuse(
          socket,
          `it answered as node ${String(fields.nodeId)}, expected node ${peer.id}; check that every node uses the same config`,
        );
        return;
      }
      if (!(fields.nonce instanceof Uint8Array) || fields.nonce.length !== nonceBytes) {
        this.#refuse(socket, 'its welcome carries no valid nonce');
        return;
      }
      const nonces = { server: fields.nonce, client: createNonce() };
      const mac = computeMac(secret, 'client', nonces, selfId, peer.id);
      const writer = new FrameWriter(socket);
      writer.write({ type: 'auth', from: selfId, nonce: nonces.client, mac });
      handshake.state = 'auth-ok';
      handshake.nonces = nonces;
      handshake.writer = writer;
      return;
    }
    let proven = false;
    try {
      const { mac } = validateAuthOk(message);
      proven = verifyMac(secret, 'server', handshake.nonces!, peer.id, selfId, mac);
    } catch {
      // Not an auth-ok at all: refused below like a wrong proof.
    }
    if (!proven) {
      this.#refuse(
        socket,
        'it did not prove the cluster secret (wrong secret, or not a quartet node)',
      );
      return;
    }
    clearTimeout(deadline);
    handshake.state = 'up';
    this.#writer = handshake.writer;
    this.#up = true;
    this.#lastRefusal = undefined;
    this.#reconnectDelayMs = reconnectDelayMsMin;
    this.#options.logger.info(`peer ${peer.id} connected`);
    this.#options.onHeard(peer.id);
    this.#options.onUp(peer.id);
  }

  /** Closes a connection whose listener failed the handshake, logging why once per reason. */
  #refuse(socket: Socket, why: string): void {
    const { host, port } = this.#options.peer;
    const line = `peer ${this.peerId} at ${host}:${port} refused as a peer: ${why}.`;
    if (line !== this.#lastRefusal) this.#options.logger.error(line);
    this.#lastRefusal = line;
    socket.destroy();
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
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      this.#dial();
    }, this.#reconnectDelayMs);
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
