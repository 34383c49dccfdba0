import type { ClusterConfig } from '../config/types.js';
import { isDropped, sampleDelayMs } from '../core/delay.js';
import type { EventQueue } from '../core/event-queue.js';
import { LinkTable } from '../core/links.js';
import type { Random } from '../core/random.js';
import type { MessageKind, OutboundLinks } from '../node/outbound-links.js';
import { noTracer, traceSend, type TraceNote, type Tracer } from '../node/tracer.js';

/**
 * The links between simulated nodes: the config's delay model (per-server mean, per-link
 * overrides, distribution), loss and partitions from the same LinkTable the real nodes use, and
 * FIFO order per link unless the config says `fifo: false` (then messages may overtake). Each
 * node sees its outbound links through `from(node)`, as a real node sees its LinkScheduler.
 */
export class VirtualNetwork {
  readonly links: LinkTable;
  readonly #config: ClusterConfig;
  readonly #queue: EventQueue;
  readonly #random: Random;
  readonly #heartbeatRandom: Random;
  readonly #views = new Map<number, VirtualLinks>();
  readonly #tracer: Tracer;

  /** `heartbeatRandom`: heartbeats' own stream, so they do not shift the delays of data. */
  constructor(
    config: ClusterConfig,
    queue: EventQueue,
    random: Random,
    heartbeatRandom = random,
    tracer: Tracer = noTracer,
  ) {
    this.links = new LinkTable(config);
    this.#tracer = tracer;
    this.#config = config;
    this.#queue = queue;
    this.#random = random;
    this.#heartbeatRandom = heartbeatRandom;
  }

  /** Data messages sent and dropped, over every node. */
  get counters(): { sent: number; dropped: number } {
    let sent = 0;
    let dropped = 0;
    for (const view of this.#views.values()) {
      sent += view.counters.sent;
      dropped += view.counters.dropped;
    }
    return { sent, dropped };
  }

  /** The links leaving `node`. */
  from(node: number): VirtualLinks {
    let view = this.#views.get(node);
    if (view === undefined) {
      view = new VirtualLinks(
        node,
        this.links,
        this.#config,
        this.#queue,
        this.#random,
        this.#heartbeatRandom,
        this.#tracer,
      );
      this.#views.set(node, view);
    }
    return view;
  }

  /** Restores every link's loss rate to the config's. */
  clearLoss(): void {
    for (const from of this.#config.servers) {
      for (const to of this.#config.servers) {
        if (from.id === to.id) continue;
        const configured = this.#config.links.find((l) => l.from === from.id && l.to === to.id);
        this.links.setLinkLoss(from.id, to.id, configured?.lossRate ?? 0);
      }
    }
  }
}

/** One node's outbound links on the virtual network. */
export class VirtualLinks implements OutboundLinks {
  readonly #self: number;
  readonly #table: LinkTable;
  readonly #config: ClusterConfig;
  readonly #queue: EventQueue;
  readonly #random: Random;
  readonly #heartbeatRandom: Random;
  readonly #tracer: Tracer;
  /** By peer id: when the last message on the link arrives (FIFO), and its discard epoch. */
  readonly #lastAtUs: number[] = [];
  readonly #epochs: number[] = [];
  #sent = 0;
  #dropped = 0;

  constructor(
    self: number,
    table: LinkTable,
    config: ClusterConfig,
    queue: EventQueue,
    random: Random,
    heartbeatRandom: Random,
    tracer: Tracer,
  ) {
    this.#tracer = tracer;
    this.#self = self;
    this.#table = table;
    this.#config = config;
    this.#queue = queue;
    this.#random = random;
    this.#heartbeatRandom = heartbeatRandom;
  }

  get counters(): { sent: number; dropped: number } {
    return { sent: this.#sent, dropped: this.#dropped };
  }

  send(to: number, deliver: () => void, kind: MessageKind = 'data', note?: TraceNote): boolean {
    const counted = kind === 'data';
    const random = counted ? this.#random : this.#heartbeatRandom;
    const link = this.#table.get(this.#self, to);
    const tracer = this.#tracer;
    const traced = tracer.enabled && note !== undefined;
    if (isDropped(link, random)) {
      if (counted) this.#dropped++;
      if (traced) {
        const msg = traceSend(tracer, this.#self, to, note, 0);
        const why = link.blocked ? 'partition' : 'loss';
        tracer.emit({ type: 'msg-drop', t: tracer.nowUs(), msg, why });
      }
      return false;
    }
    if (counted) this.#sent++;
    const delayMs = sampleDelayMs(this.#config.delayDistribution, link.delayMsMean, random);
    const queue = this.#queue;
    let atUs = queue.nowUs + Math.round(delayMs * 1000);
    if (this.#config.fifo) {
      atUs = Math.max(atUs, this.#lastAtUs[to] ?? 0);
      this.#lastAtUs[to] = atUs;
    }
    const epochs = this.#epochs;
    const epoch = epochs[to] ?? 0;
    if (!traced) {
      queue.at(atUs, () => {
        if ((epochs[to] ?? 0) === epoch) deliver();
      });
      return true;
    }
    const msg = traceSend(tracer, this.#self, to, note, delayMs);
    queue.at(atUs, () => {
      const held = (epochs[to] ?? 0) === epoch;
      // A connection breaks only when a process at one end crashed: what it held is lost.
      if (held) tracer.emit({ type: 'msg-deliver', t: tracer.nowUs(), msg });
      else tracer.emit({ type: 'msg-drop', t: tracer.nowUs(), msg, why: 'crash' });
      if (held) deliver();
    });
    return true;
  }

  discard(to: number): void {
    this.#epochs[to] = (this.#epochs[to] ?? 0) + 1;
    this.#lastAtUs[to] = 0;
  }
}
