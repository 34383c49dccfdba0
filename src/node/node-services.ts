import type { ClusterConfig } from '../config/types.js';
import { formatTimestamp } from '../core/clock.js';
import { merkleDepthDefault } from '../core/merkle.js';
import type { AntiEntropyReport, NodeStats, PeerReply } from '../core/messages.js';
import { ringOf, type Ring } from '../core/ring.js';
import { AntiEntropy, failedAntiEntropyReport } from './anti-entropy.js';
import { ClientService } from './client-service.js';
import { CoordinatorHost } from './coordinator-host.js';
import { FailureDetector } from './failure-detector.js';
import type { NodeParts } from './node-parts.js';
import { HintedHandoff, type HandoffOptions } from './hints.js';
import type { Logger } from './logger.js';
import { NodeClock } from './node-clock.js';
import { ReplicaRouter } from './replica-router.js';
import { ReplicaService, type ReplicaServiceOptions } from './replica-service.js';
import type { NodeRuntime, PeerMessage } from './runtime.js';
import { purgeTombstones } from './tombstones.js';
import { DetectorTrace, hintListener, traceAntiEntropy } from './node-trace.js';
import { traceNote, type TraceNote } from './tracer.js';

export interface NodeServicesOptions {
  config: ClusterConfig;
  nodeId: number;
  runtime: NodeRuntime;
  logger: Logger;
  /** What only a process knows, for `stats` (the simulator gives pid 0). */
  processInfo: () => Pick<NodeStats, 'pid' | 'address' | 'connections'>;
  /** The node's own parts unless a mutation test swaps in a broken one. */
  parts?: NodeParts;
  /** Depth of the Merkle trees of anti-entropy (the simulator's few keys need few ranges). */
  merkleDepth?: number;
}

const pingBody = { type: 'ping' } as const;

/** Purge passes run every half grace period, within these bounds. */
export const purgeIntervalMsMin = 100;
export const purgeIntervalMsMax = 60_000;

/**
 * A node without its process: coordination host, replica service, hinted handoff, failure
 * detector, anti-entropy, tombstone purge and the client service's request limits, over a
 * runtime. A process wraps it in TCP servers (node.ts); the simulator runs it as it is.
 */
export class NodeServices {
  readonly id: number;
  readonly clock: NodeClock;
  readonly ring: Ring;
  readonly clients: ClientService;
  readonly host: CoordinatorHost;
  readonly router: ReplicaRouter;
  readonly handoff: HintedHandoff;
  readonly detector: FailureDetector;
  readonly replica: ReplicaService;
  readonly antiEntropy: AntiEntropy;
  readonly #options: NodeServicesOptions;
  readonly #runtime: NodeRuntime;
  readonly #startedAtMs: number;
  readonly #available = new Set<number>();
  #detectorTrace: DetectorTrace | undefined;

  constructor(options: NodeServicesOptions) {
    const { config, nodeId, logger, runtime } = options;
    this.#options = options;
    this.#runtime = runtime;
    this.id = nodeId;
    this.#startedAtMs = runtime.nowMs();
    const { store, transport } = runtime;
    // A restarted node must stamp above every version it already holds or issued, even if its
    // wall clock is behind them (a skewed peer pushed it ahead, or the same millisecond): it
    // observes the newest its store and hints found when they opened (below).
    const clock = new NodeClock(nodeId, config.maxClockOffsetMs, () => runtime.wallMs());
    this.clock = clock;
    this.ring = ringOf(
      config.servers.map((server) => server.id),
      config.replicationFactor,
      config.virtualNodes,
    );
    const parts = options.parts ?? {};
    this.detector =
      parts.detector?.(transport.peers, config) ?? new FailureDetector(transport.peers, config);
    const replicaOptions: ReplicaServiceOptions = {
      store,
      clock,
      logger,
      antiEntropy: () => this.antiEntropy,
      onHeartbeat: (from) => this.detector.heard(from, runtime.nowMs()),
    };
    this.replica = parts.replica?.(replicaOptions, runtime) ?? new ReplicaService(replicaOptions);
    // Background requests (hints, purge, anti-entropy, search) wait for a peer as long as the
    // failure detector would still call it up: a slow link is not a dead one.
    const backgroundTimeoutMs = Math.max(config.requestTimeoutMs, config.downAfterMs);
    this.router = new ReplicaRouter(nodeId, this.replica, runtime, backgroundTimeoutMs);
    const antiEntropyArgs: ConstructorParameters<typeof AntiEntropy> = [
      nodeId,
      this.ring,
      store,
      async (key, version, peer) =>
        this.replica.apply(key, version, `anti-entropy with node ${peer}`),
      () => runtime.nowMs(),
    ];
    this.antiEntropy =
      parts.antiEntropy?.(...antiEntropyArgs) ?? new AntiEntropy(...antiEntropyArgs);
    const handoffOptions: HandoffOptions = {
      table: runtime.hints,
      maxHintWindowMs: config.maxHintWindowMs,
      tombstoneGraceMs: config.tombstoneGraceMs,
      logger,
      send: (target, key, version) => this.router.write(target, key, version, 'write'),
    };
    const onHint = hintListener(runtime.tracer, nodeId);
    if (onHint !== undefined) handoffOptions.onHint = onHint;
    if (runtime.tracer.enabled || runtime.tracer.switchable === true)
      this.#detectorTrace = new DetectorTrace(runtime.tracer, nodeId);
    this.handoff = parts.handoff?.(handoffOptions) ?? new HintedHandoff(handoffOptions);
    for (const newest of [store.newestAtOpen, this.handoff.newestAtOpen]) {
      if (newest === undefined) continue;
      const aheadMs = newest.wallMs - clock.wallMs();
      if (aheadMs > config.maxClockOffsetMs) {
        logger.warn(
          `this node holds a version stamped ${aheadMs} ms ahead of its clock (${formatTimestamp(newest)}), past maxClockOffsetMs (${config.maxClockOffsetMs} ms): its clock jumps there so that its next writes stamp above it; fix the clock that stamped it.`,
        );
      }
      clock.restore(newest);
    }
    this.host = new CoordinatorHost(
      {
        read: (to, key, reply, opId) => this.router.sendRead(to, key, reply, opId),
        write: (to, key, version, kind, reply, opId) =>
          this.router.sendWrite(to, key, version, kind, reply, opId),
        isReachable: (to) => to === nodeId || this.detector.isAvailable(to, runtime.nowMs()),
      },
      runtime,
      config.requestTimeoutMs,
      (key, version, missed) => {
        for (const target of missed)
          if (target !== nodeId) this.handoff.store(target, key, version, runtime.wallMs());
      },
      parts.coordinations,
    );
    this.clients = new ClientService({
      nodeId,
      config,
      ring: this.ring,
      clock,
      store,
      host: this.host,
      logger,
      stats: () => this.stats(options.processInfo()),
      antiEntropy: (peers) => this.repair(peers),
      tracer: runtime.tracer,
    });
    transport.listen({
      onUp: (peer) => {
        this.detector.setConnected(peer, true, runtime.nowMs());
        this.#checkPeers();
      },
      onDown: (peer) => {
        this.detector.setConnected(peer, false, runtime.nowMs());
        this.#checkPeers();
      },
      onHeard: (peer) => this.detector.heard(peer, runtime.nowMs()),
      onRequest: (from, request, reply) => this.handlePeerRequest(from, request, reply),
    });
  }

  /** Dials the peers and starts the background work: heartbeats, purge, anti-entropy. */
  start(): void {
    const runtime = this.#runtime;
    const config = this.#options.config;
    runtime.transport.start();
    runtime.every(config.heartbeatIntervalMs, () => this.#heartbeat());
    const purgeMs = Math.min(purgeIntervalMsMax, config.tombstoneGraceMs / 2);
    runtime.every(Math.max(purgeIntervalMsMin, purgeMs), () => {
      if (runtime.store.tombstones > 0) runtime.track(this.purge());
    });
    if (config.antiEntropyIntervalMs > 0)
      runtime.every(config.antiEntropyIntervalMs, () => runtime.track(this.repair(undefined)));
  }

  stop(): void {
    this.#runtime.transport.close();
    this.host.close();
  }

  handlePeerRequest(from: number, request: PeerMessage, reply: (answer: PeerReply) => void): void {
    this.detector.heard(from, this.#runtime.nowMs());
    this.replica.handle(from, request, reply);
  }

  /** Anti-entropy with the given peers (all by default), one after another. */
  async repair(peers: number[] | undefined): Promise<AntiEntropyReport[]> {
    const targets = peers ?? this.#runtime.transport.peers;
    const tracer = this.#runtime.tracer;
    const reports: AntiEntropyReport[] = [];
    for (const peer of targets) {
      if (peer === this.id) continue;
      try {
        const depth = this.#options.merkleDepth ?? merkleDepthDefault;
        const exchange = this.router.antiEntropyPeer(peer);
        if (tracer.enabled) traceAntiEntropy(tracer, this.id, peer);
        reports.push(await this.antiEntropy.repairWith(peer, exchange, depth));
      } catch (error) {
        reports.push(failedAntiEntropyReport(this.id, peer, error));
      }
      if (tracer.enabled) traceAntiEntropy(tracer, this.id, peer, reports[reports.length - 1]);
    }
    for (const report of reports) {
      this.#options.logger.info(
        `anti-entropy with node ${report.peer}: ${report.rangesDiffering}/${report.rangesCompared} ranges differed, ${report.keysReceived} keys received, ${report.keysSent} sent${report.error ? `, failed: ${report.error.message}` : ''}`,
      );
    }
    return reports;
  }

  /** Drops the tombstones past the grace period that every replica holds. */
  async purge(): Promise<number> {
    const runtime = this.#runtime;
    const { config, logger } = this.#options;
    const purge = this.#options.parts?.purge ?? purgeTombstones;
    const purged = await purge({
      store: runtime.store,
      ring: this.ring,
      selfId: this.id,
      tombstoneGraceMs: config.tombstoneGraceMs,
      nowMs: runtime.wallMs(),
      isAvailable: (node) => this.detector.isAvailable(node, runtime.nowMs()),
      readFrom: (node, key) => this.router.read(node, key),
    });
    if (purged > 0)
      logger.info(
        `purged ${purged} tombstones that every replica holds, older than ${config.tombstoneGraceMs} ms`,
      );
    return purged;
  }

  /** The stats of this node; the process adds what only it knows (pid, address). */
  stats(process: Pick<NodeStats, 'pid' | 'address' | 'connections'>): NodeStats {
    const { store, transport } = this.#runtime;
    const nowMs = this.#runtime.nowMs();
    return {
      nodeId: this.id,
      ...process,
      keys: store.size - store.tombstones,
      tombstones: store.tombstones,
      peers: this.detector.views(nowMs),
      hints: this.handoff.pendingByTarget(),
      store: store.kind,
      pendingRepairs: this.host.pendingRepairs,
      activeCoordinations: this.host.activeCount,
      messagesSent: transport.counters.sent,
      messagesDropped: transport.counters.dropped,
      uptimeMs: Math.round(nowMs - this.#startedAtMs),
    };
  }

  #heartbeat(): void {
    const { transport } = this.#runtime;
    const note = this.#runtime.tracer.enabled ? pingNote : undefined;
    for (const peer of transport.peers) transport.notify(peer, pingBody, note);
    this.#checkPeers();
  }

  // A peer that became available gets its hints; one that went silent is logged.
  #checkPeers(): void {
    const runtime = this.#runtime;
    const nowMs = runtime.nowMs();
    const { logger } = this.#options;
    for (const peer of runtime.transport.peers) {
      const available = this.detector.isAvailable(peer, nowMs);
      this.#detectorTrace?.observe(peer, this.detector.state(peer, nowMs));
      if (available && !this.#available.has(peer)) {
        this.#available.add(peer);
        logger.info(`node ${peer} is up`);
      } else if (!available && this.#available.has(peer)) {
        this.#available.delete(peer);
        logger.warn(`node ${peer} is down (${this.detector.state(peer, nowMs)})`);
      }
      if (available && this.handoff.pending(peer) > 0)
        runtime.track(this.handoff.replay(peer, runtime.wallMs()));
    }
  }
}

/** A heartbeat in the trace: one-way, no operation (a peer's own pings are its answers). */
const pingNote: TraceNote = traceNote('ping', null);
