import type { ErrorRecord } from '../core/errors.js';
import type { PeerReply } from '../core/messages.js';
import type { OutboundLinks } from '../node/outbound-links.js';
import type { PeerEvents, PeerMessage, PeerReplyCallback, PeerTransport } from '../node/runtime.js';
import type { PeerRequestBody } from '../protocol/peer-wire.js';
import type { TraceNote } from '../node/tracer.js';

/** How a transport hands a request to the peer it was sent to (that node's current process). */
export type DeliverRequest = (
  from: number,
  to: number,
  request: PeerMessage,
  reply: (answer: PeerReply) => void,
  note?: TraceNote,
) => void;

/**
 * One simulated process's connections to its peers, as PeerLink's over TCP: a request to a
 * peer whose connection is down fails at once; a connection that breaks fails what waits on it
 * and drops what its links still held; replies come back over the replying node's links.
 */
export class SimTransport implements PeerTransport {
  readonly peers: readonly number[];
  readonly #self: number;
  readonly #links: OutboundLinks;
  readonly #alive: () => boolean;
  readonly #deliver: DeliverRequest;
  readonly #up = new Set<number>();
  readonly #pending = new Map<number, { peer: number; onReply: PeerReplyCallback }>();
  /** By peer id: the delivery of a ping, made once (every heartbeat sends one). */
  readonly #pingDeliveries: (() => void)[] = [];
  #events: PeerEvents | undefined;
  #nextId = 1;

  constructor(
    self: number,
    peers: readonly number[],
    links: OutboundLinks,
    alive: () => boolean,
    deliver: DeliverRequest,
  ) {
    this.#self = self;
    this.peers = peers;
    this.#links = links;
    this.#alive = alive;
    this.#deliver = deliver;
  }

  get counters(): { sent: number; dropped: number } {
    return this.#links.counters;
  }

  listen(events: PeerEvents): void {
    this.#events = events;
  }

  /** Connections are made by the cluster (connect), as peers dial and redial. */
  start(): void {}

  close(): void {
    for (const peer of [...this.#up]) this.disconnect(peer);
  }

  isUp(peer: number): boolean {
    return this.#up.has(peer);
  }

  connect(peer: number): void {
    if (!this.#alive() || this.#up.has(peer)) return;
    this.#up.add(peer);
    this.#events?.onUp(peer);
  }

  disconnect(peer: number): void {
    if (!this.#up.delete(peer)) return;
    this.#links.discard(peer);
    const failed: PeerReplyCallback[] = [];
    for (const [id, pending] of this.#pending) {
      if (pending.peer !== peer) continue;
      this.#pending.delete(id);
      failed.push(pending.onReply);
    }
    const error = downError(peer);
    for (const onReply of failed) onReply(error);
    if (this.#alive()) this.#events?.onDown(peer);
  }

  send(peer: number, body: PeerRequestBody, onReply: PeerReplyCallback, note?: TraceNote): void {
    if (!this.#up.has(peer)) {
      onReply(downError(peer));
      return;
    }
    const id = this.#nextId++;
    this.#pending.set(id, { peer, onReply });
    const request = { ...body, id } as PeerMessage;
    const sent = this.#links.send(
      peer,
      () => {
        if (!this.#alive()) return;
        this.#deliver(this.#self, peer, request, (reply) => this.#receive(peer, reply), note);
      },
      'data',
      note,
    );
    if (!sent) this.#pending.delete(id);
  }

  notify(peer: number, body: PeerRequestBody, note?: TraceNote): boolean {
    if (!this.#up.has(peer)) return false;
    const deliver =
      body.type === 'ping'
        ? (this.#pingDeliveries[peer] ??= this.#deliveryOf(peer, ping))
        : this.#deliveryOf(peer, { ...body, id: 0 } as PeerMessage);
    return this.#links.send(peer, deliver, 'heartbeat', note);
  }

  #deliveryOf(peer: number, request: PeerMessage): () => void {
    return () => {
      if (this.#alive()) this.#deliver(this.#self, peer, request, ignoreReply);
    };
  }

  // A reply arrived from `peer` (the caller checked that the replying process still lives).
  #receive(peer: number, reply: PeerReply): void {
    if (!this.#alive()) return;
    this.#events?.onHeard(peer);
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    pending.onReply(undefined, reply);
  }
}

function ignoreReply(): void {}

const ping: PeerMessage = { type: 'ping', id: 0 };

function downError(peer: number): ErrorRecord {
  return { code: 'UNAVAILABLE', message: `Node ${peer} is not connected.` };
}
