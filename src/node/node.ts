import type { ClusterConfig } from '../config/types.js';
import { formatTimestamp } from '../core/clock.js';
import { QuartetError } from '../core/errors.js';
import { LinkTable } from '../core/links.js';
import type { AntiEntropyReport, NodeStats } from '../core/messages.js';
import type { Random } from '../core/random.js';
import { Ring } from '../core/ring.js';
import type { ControlMessage } from '../protocol/control.js';
import { frameBytesMaxDefault } from '../protocol/limits.js';
import { AntiEntropy } from './anti-entropy.js';
import { ClientService } from './client-service.js';
import { CoordinatorHost } from './coordinator-host.js';
import { FailureDetector } from './failure-detector.js';
import { HintedHandoff, type HintTable } from './hints.js';
import { HttpApi } from './http-api.js';
import { LinkScheduler } from './link-scheduler.js';
import type { Logger } from './logger.js';
import { NodeClock } from './node-clock.js';
import { PeerLink } from './peer-link.js';
import { ReplicaRouter } from './replica-router.js';
import { ReplicaService } from './replica-service.js';
import { NodeServer } from './server.js';
import type { Store } from './storage/store.js';
import { purgeTombstones } from './tombstones.js';

export interface NodeOptions {
  config: ClusterConfig;
  nodeId: number;
  secret: string;
  store: Store;
  hints: HintTable;
  logger: Logger;
  random: Random;
  /** The delays of heartbeats: a stream apart, so they do not shift the seeded delays of data. */
  heartbeatRandom: Random;
  /** The address to bind (`--listen`, e.g. 0.0.0.0); peers still dial the config's address. */
  listenHost?: string;
  /** Applies a control message an operator sent over TCP (faults on an attached cluster). */
  onControl?: (control: ControlMessage) => boolean;
  /** Serve the HTTP API on this port of the node's host (0: a free one); off when undefined. */
  httpPort?: number;
  /** Told when a peer connects or disconnects, for the orchestrator. */
  onEvent?: (event: NodeEvent) => void;
}

export type NodeEvent = { type: 'peer-up' | 'peer-down'; peer: number };

/** Peers reply with whole anti-entropy ranges: allow them bigger frames than clients. */
const peerReplyBytesMax = 64 * 1024 * 1024;

/**
 * One quartet node: serves clients and peers, coordinates requests, keeps its replicas, and
 * runs the background work (heartbeats, hinted handoff, tombstone purge, anti-entropy).
 */
export class QuartetNode {
  readonly id: number;
  readonly links: LinkTable;
  /** The wall clock (and its skew, set by the orchestrator) and the hybrid clock over it. */
  readonly clock: NodeClock;
  readonly #options: NodeOptions;
  readonly #config: ClusterConfig;
  readonly #ring: Ring;
  readonly #scheduler: LinkScheduler;
  readonly #detector: FailureDetector;
  readonly #peers = new Map<number, PeerLink>();
  readonly #host: CoordinatorHost;
  readonly #replica: ReplicaService;
  readonly #router: ReplicaRouter;
  readonly #handoff: HintedHandoff;
  readonly #antiEntropy: AntiEntropy;
  readonly #server: NodeServer;
  readonly #http: HttpApi | undefined;
  #httpAddress: { host: string; port: number } | undefined;
  readonly #startedAtMs = Date.now();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #available = new Set<number>();

  constructor(options: NodeOptions) {
    const { config, nodeId, logger } = options;
    this.#options = options;
    this.#config = config;
    this.id = nodeId;
    // A restarted node must stamp above every version it already holds or issued, even if its
    // wall clock is behind them (a skewed peer pushed it ahead, or the same millisecond): it
    // observes the newest its store and hints found when they opened (below).
    const clock = new NodeClock(nodeId, config.maxClockOffsetMs);
    this.clock = clock;
    this.#ring = new Ring(
      config.servers.map((server) => server.id),
      config.replicationFactor,
      config.virtualNodes,
    );
    this.links = new LinkTable(config);
    this.#scheduler = new LinkScheduler(
      nodeId,
      this.links,
      config.delayDistribution,
      config.fifo,
      options.random,
      options.heartbeatRandom,
    );
    const peerIds = config.servers.map((server) => server.id).filter((id) => id !== nodeId);
    this.#detector = new FailureDetector(peerIds, config);
    const limits = { keyBytesMax: config.keyBytesMax, valueBytesMax: config.valueBytesMax };
    const frameBytesMax = Math.max(
      frameBytesMaxDefault,
      config.valueBytesMax + config.keyBytesMax + 4096,
    );
    for (const peer of config.servers) {
      if (peer.id === nodeId) continue;
      const link = new PeerLink({
        selfId: nodeId,
        peer,
        secret: options.secret,
        limits,
        frameBytesMax: Math.max(frameBytesMax, peerReplyBytesMax),
        scheduler: this.#scheduler,
        logger,
        onUp: (id) => {
          this.#detector.setConnected(id, true, Date.now());
          options.onEvent?.({ type: 'peer-up', peer: id });
          this.#checkPeers();
        },
        onDown: (id) => {
          this.#detector.setConnected(id, false, Date.now());
          options.onEvent?.({ type: 'peer-down', peer: id });
          this.#checkPeers();
        },
        onHeard: (id) => this.#detector.heard(id, Date.now()),
      });
      this.#peers.set(peer.id, link);
    }
    this.#replica = new ReplicaService({
      store: options.store,
      clock,
      logger,
      antiEntropy: () => this.#antiEntropy,
      onHeartbeat: (from) => this.#detector.heard(from, Date.now()),
    });
    this.#router = new ReplicaRouter(nodeId, this.#replica, this.#peers);
    this.#antiEntropy = new AntiEntropy(
      nodeId,
      this.#ring,
      options.store,
      async (key, version, peer) =>
        this.#replica.apply(key, version, `anti-entropy with node ${peer}`),
    );
    this.#handoff = new HintedHandoff({
      table: options.hints,
      maxHintWindowMs: config.maxHintWindowMs,
      logger,
      send: (target, key, version) => this.#router.write(target, key, version, 'write'),
    });
    for (const newest of [options.store.newestAtOpen, this.#handoff.newestAtOpen]) {
      if (newest === undefined) continue;
      const aheadMs = newest.wallMs - clock.wallMs();
      if (aheadMs > config.maxClockOffsetMs) {
        logger.warn(
          `this node holds a version stamped ${aheadMs} ms ahead of its clock (${formatTimestamp(newest)}), past maxClockOffsetMs (${config.maxClockOffsetMs} ms): its clock jumps there so that its next writes stamp above it; fix the clock that stamped it.`,
        );
      }
      clock.restore(newest);
    }
    this.#host = new CoordinatorHost(
      {
        read: (to, key, reply) => this.#router.sendRead(to, key, reply),
        write: (to, key, version, kind, reply) =>
          this.#router.sendWrite(to, key, version, kind, reply),
        isReachable: (to) => to === nodeId || this.#detector.isAvailable(to, Date.now()),
      },
      config.requestTimeoutMs,
      (key, version, missed) => {
        for (const target of missed)
          if (target !== nodeId) this.#handoff.store(target, key, version, Date.now());
      },
    );
    const clients = new ClientService({
      nodeId,
      config,
      ring: this.#ring,
      clock,
      store: options.store,
      host: this.#host,
      logger,
      stats: () => this.stats(),
      antiEntropy: (peers) => this.repair(peers),
    });
    this.#http =
      options.httpPort === undefined
        ? undefined
        : new HttpApi({
            nodeId,
            limits,
            logger,
            handle: (request, connection) => clients.handle(request, connection),
            replicas: (key) => this.#searchReplicas(key),
          });
    this.#server = new NodeServer({
      nodeId,
      secret: options.secret,
      limits,
      frameBytesMax,
      logger,
      sendToPeer: (peer, writer, wire) => {
        if (this.#scheduler.passesAtOnce(peer)) writer.write(wire);
        else this.#scheduler.send(peer, () => void writer.write(wire));
      },
      handlers: {
        onClientRequest: (request, connection) => clients.handle(request, connection),
        onControl: (control) => options.onControl?.(control) ?? false,
        onPeerRequest: (from, request, reply) => {
          this.#detector.heard(from, Date.now());
          this.#replica.handle(from, request, reply);
        },
      },
    });
  }

  get address(): { host: string; port: number } {
    const server = this.#config.servers.find((s) => s.id === this.id)!;
    return { host: server.host, port: server.port };
  }

  /** Listens on the node's port, dials every peer, and starts the background work. */
  async start(): Promise<void> {
    const { port } = this.address;
    const host = this.#options.listenHost ?? this.address.host;
    await this.#server.listen(host, port);
    if (this.#http !== undefined)
      this.#httpAddress = await this.#http.listen(host, this.#options.httpPort ?? 0);
    for (const peer of this.#peers.values()) peer.start();
    const config = this.#config;
    this.#every(config.heartbeatIntervalMs, () => this.#heartbeat());
    this.#every(Math.max(1000, Math.min(60_000, config.tombstoneGraceMs / 2)), () => this.#purge());
    if (config.antiEntropyIntervalMs > 0)
      this.#every(config.antiEntropyIntervalMs, () => void this.repair(undefined));
    this.#options.logger.info(
      `node ${this.id} listening on ${host}:${port} (${this.#options.store.kind} store)${this.#httpAddress ? `, HTTP on ${host}:${this.#httpAddress.port}` : ''}`,
    );
  }

  /** The HTTP API's address once started, when it is on. */
  get httpAddress(): { host: string; port: number } | undefined {
    return this.#httpAddress;
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    for (const peer of this.#peers.values()) peer.close();
    this.#scheduler.close();
    this.#host.close();
    await this.#http?.close();
    await this.#server.close();
    await this.#options.store.close();
  }

  /** Anti-entropy with the given peers (all by default), one after another. */
  async repair(peers: number[] | undefined): Promise<AntiEntropyReport[]> {
    const targets = peers ?? [...this.#peers.keys()];
    const reports: AntiEntropyReport[] = [];
    for (const peer of targets) {
      if (peer === this.id) continue;
      try {
        reports.push(await this.#antiEntropy.repairWith(peer, this.#router.antiEntropyPeer(peer)));
      } catch (error) {
        const record =
          error instanceof QuartetError
            ? { code: error.code, message: error.message }
            : { code: 'INTERNAL' as const, message: String(error) };
        reports.push({
          node: this.id,
          peer,
          rangesCompared: 0,
          rangesDiffering: 0,
          keysReceived: 0,
          keysSent: 0,
          durationMs: 0,
          error: record,
        });
      }
    }
    for (const report of reports) {
      this.#options.logger.info(
        `anti-entropy with node ${report.peer}: ${report.rangesDiffering}/${report.rangesCompared} ranges differed, ${report.keysReceived} keys received, ${report.keysSent} sent${report.error ? `, failed: ${report.error.message}` : ''}`,
      );
    }
    return reports;
  }

  stats(): NodeStats {
    const { tombstones } = this.#options.store;
    const { host, port } = this.address;
    const nowMs = Date.now();
    return {
      nodeId: this.id,
      pid: process.pid,
      address: `${host}:${port}`,
      keys: this.#options.store.size - tombstones,
      tombstones,
      peers: this.#detector.views(nowMs),
      hints: this.#handoff.pendingByTarget(),
      store: this.#options.store.kind,
      pendingRepairs: this.#host.pendingRepairs,
      activeCoordinations: this.#host.activeCount,
      messagesSent: this.#scheduler.counters.sent,
      messagesDropped: this.#scheduler.counters.dropped,
      uptimeMs: nowMs - this.#startedAtMs,
      connections: this.#server.connections,
    };
  }

  // What each replica of a key holds, in node order, as `search` shows it.
  async #searchReplicas(key: string): Promise<Record<string, unknown>[]> {
    const nodes = [...this.#ring.replicasFor(key)].sort((a, b) => a - b);
    return Promise.all(
      nodes.map(async (node) => {
        try {
          const version = await this.#withDeadline(this.#router.read(node, key));
          if (version === undefined) return { node, state: 'missing' };
          const state = version.value === null ? 'tombstone' : 'holds';
          return { node, state, value: version.value, ts: version.ts };
        } catch {
          // A replica that cannot be asked is reported as such, not as an error of the request.
          return { node, state: 'unreachable' };
        }
      }),
    );
  }

  // A read whose message a link drops is never answered: give up after requestTimeoutMs.
  #withDeadline<T>(promise: Promise<T>): Promise<T> {
    const timeoutMs = this.#config.requestTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new QuartetError('TIMEOUT', `No answer within ${timeoutMs} ms.`)),
        timeoutMs,
      );
    });
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
  }

  #every(intervalMs: number, run: () => void): void {
    const timer = setInterval(run, intervalMs);
    timer.unref();
    this.#timers.push(timer);
  }

  #heartbeat(): void {
    for (const peer of this.#peers.values()) peer.notify({ type: 'ping' });
    this.#checkPeers();
  }

  // A peer that became available gets its hints; one that went silent is logged.
  #checkPeers(): void {
    const nowMs = Date.now();
    for (const peer of this.#peers.keys()) {
      const available = this.#detector.isAvailable(peer, nowMs);
      if (available && !this.#available.has(peer)) {
        this.#available.add(peer);
        this.#options.logger.info(`node ${peer} is up`);
      } else if (!available && this.#available.has(peer)) {
        this.#available.delete(peer);
        this.#options.logger.warn(`node ${peer} is down (${this.#detector.state(peer, nowMs)})`);
      }
      if (available && this.#handoff.pending(peer) > 0) void this.#handoff.replay(peer, nowMs);
    }
  }

  async #purge(): Promise<void> {
    const purged = await purgeTombstones({
      store: this.#options.store,
      ring: this.#ring,
      selfId: this.id,
      tombstoneGraceMs: this.#config.tombstoneGraceMs,
      nowMs: Date.now(),
      isAvailable: (node) => this.#detector.isAvailable(node, Date.now()),
      readFrom: (node, key) => this.#router.read(node, key),
    });
    if (purged > 0)
      this.#options.logger.info(
        `purged ${purged} tombstones that every replica holds, older than ${this.#config.tombstoneGraceMs} ms`,
      );
  }
}
