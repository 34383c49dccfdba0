// The clock, imported: the `performance` global is a lazy getter that runs on every access.
import { performance } from 'node:perf_hooks';
import type { ClusterConfig } from '../config/types.js';
import type { LinkTable } from '../core/links.js';
import type { PeerReply } from '../core/messages.js';
import type { Random } from '../core/random.js';
import type { PeerRequestBody } from '../protocol/peer-wire.js';
import type { SizeLimits } from '../protocol/validate.js';
import type { HintTable } from './hints.js';
import { LinkScheduler } from './link-scheduler.js';
import type { Logger } from './logger.js';
import { PeerLink } from './peer-link.js';
import type { FrameWriter } from '../protocol/frame-writer.js';
import { encodePeerReply } from '../protocol/peer-wire.js';
import { noTracer, type TraceNote, type Tracer } from './tracer.js';
import { peerReplyNote } from './trace-notes.js';
import type {
  NodeRuntime,
  PeerEvents,
  PeerMessage,
  PeerReplyCallback,
  PeerTransport,
  TimerHandle,
} from './runtime.js';
import type { Store } from './storage/store.js';

export interface TcpRuntimeOptions {
  config: ClusterConfig;
  nodeId: number;
  secret: string;
  links: LinkTable;
  limits: SizeLimits;
  frameBytesMax: number;
  logger: Logger;
  random: Random;
  /** The delays of heartbeats: a stream apart, so they do not shift the seeded delays of data. */
  heartbeatRandom: Random;
  store: Store;
  hints: HintTable;
  /** Where the node's trace goes (none by default). */
  tracer?: Tracer;
  /** Told when a peer's connection comes up or goes down. */
  onConnection?: (peer: number, up: boolean) => void;
}

/**
 * The runtime of a node process: Date.now and performance.now, Node timers, and the peers over
 * TCP links (PeerLink) whose messages wait out their delays in the LinkScheduler.
 */
export class TcpRuntime implements NodeRuntime, PeerTransport {
  readonly random: Random;
  readonly store: Store;
  readonly hints: HintTable;
  readonly peers: readonly number[];
  readonly scheduler: LinkScheduler;
  readonly tracer: Tracer;
  readonly #links = new Map<number, PeerLink>();
  readonly #intervals = new Set<NodeJS.Timeout>();
  #events: PeerEvents | undefined;

  constructor(options: TcpRuntimeOptions) {
    const { config, nodeId } = options;
    this.random = options.random;
    this.store = options.store;
    this.hints = options.hints;
    this.tracer = options.tracer ?? noTracer;
    this.scheduler = new LinkScheduler(
      nodeId,
      options.links,
      config.delayDistribution,
      config.fifo,
      options.random,
      options.heartbeatRandom,
      this.tracer,
    );
    for (const peer of config.servers) {
      if (peer.id === nodeId) continue;
      const link = new PeerLink({
        selfId: nodeId,
        peer,
        secret: options.secret,
        limits: options.limits,
        frameBytesMax: options.frameBytesMax,
        scheduler: this.scheduler,
        logger: options.logger,
        onUp: (id) => {
          this.#events?.onUp(id);
          options.onConnection?.(id, true);
        },
        onDown: (id) => {
          this.#events?.onDown(id);
          options.onConnection?.(id, false);
        },
        onHeard: (id) => this.#events?.onHeard(id),
      });
      this.#links.set(peer.id, link);
    }
    this.peers = [...this.#links.keys()];
  }

  get transport(): PeerTransport {
    return this;
  }

  get counters(): { sent: number; dropped: number } {
    return this.scheduler.counters;
  }

  nowMs(): number {
    return performance.now();
  }

  wallMs(): number {
    return Date.now();
  }

  setTimer(delayMs: number, run: () => void): TimerHandle {
    return { timer: setTimeout(run, delayMs) };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (handle !== undefined) clearTimeout(handle.timer as NodeJS.Timeout);
  }

  every(intervalMs: number, run: () => void): TimerHandle {
    const timer = setInterval(run, intervalMs);
    timer.unref();
    this.#intervals.add(timer);
    return { timer };
  }

  defer(run: () => void): void {
    queueMicrotask(run);
  }

  track(work: Promise<unknown>): void {
    void work.catch(() => {}); // the services log their own failures
  }

  listen(events: PeerEvents): void {
    this.#events = events;
  }

  start(): void {
    for (const link of this.#links.values()) link.start();
  }

  close(): void {
    for (const timer of this.#intervals) clearInterval(timer);
    this.#intervals.clear();
    for (const link of this.#links.values()) link.close();
    this.scheduler.close();
  }

  /** A peer dialled this node, so it listens: a link to it waiting to redial dials now. */
  dialNow(peer: number): void {
    this.#links.get(peer)?.dialNow();
  }

  isUp(peer: number): boolean {
    return this.#links.get(peer)?.isUp === true;
  }

  send(peer: number, body: PeerRequestBody, onReply: PeerReplyCallback, note?: TraceNote): void {
    const link = this.#links.get(peer);
    if (link === undefined) {
      onReply({ code: 'INTERNAL', message: `Node ${peer} is not in this node's config.` });
      return;
    }
    link.send(body, onReply, note);
  }

  notify(peer: number, body: PeerRequestBody, note?: TraceNote): boolean {
    return this.#links.get(peer)?.notify(body, note) === true;
  }

  /** A peer's request from the server: to the services. */
  receive(from: number, request: PeerMessage, reply: (answer: PeerReply) => void): void {
    this.#events?.onRequest(from, request, reply);
  }

  /**
   * The answer to a peer's `request`, written on `writer` (the connection it came on) through
   * this node's link to the peer (its delay, loss and partitions); traced as a reply.
   */
  replyThroughLink(
    peer: number,
    writer: FrameWriter,
    request: PeerMessage,
    answer: PeerReply,
  ): void {
    const wire = encodePeerReply(answer);
    const note = this.tracer.enabled ? peerReplyNote(request, answer) : undefined;
    if (this.scheduler.passesAtOnce(peer)) {
      writer.write(wire);
      if (note !== undefined) this.scheduler.traceAtOnce(peer, note, true);
    } else this.#replyDelayed(peer, writer, wire, note);
  }

  /** A reply through a link with a delay, loss or partition (its closure made here, as PeerLink's). */
  #replyDelayed(peer: number, writer: FrameWriter, wire: unknown, note?: TraceNote): void {
    this.scheduler.send(peer, () => void writer.write(wire), 'data', note);
  }
}
