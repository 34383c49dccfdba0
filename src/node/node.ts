import type { ClusterConfig } from '../config/types.js';
import { HybridClock } from '../core/clock.js';
import { QuartetError, toErrorRecord } from '../core/errors.js';
import { requiredAnswers, type LevelName } from '../core/levels.js';
import { LinkTable } from '../core/links.js';
import type { ClientRequest, NodeStats, PeerReply, PeerRequest } from '../core/messages.js';
import type { Random } from '../core/random.js';
import { decideWrite, isPurgeable } from '../core/replica.js';
import { Ring } from '../core/ring.js';
import type { Version } from '../core/version.js';
import { frameBytesMaxDefault, inflightPerConnectionMax } from '../protocol/limits.js';
import { CoordinatorHost, type WriteAck } from './coordinator-host.js';
import { LinkScheduler } from './link-scheduler.js';
import type { Logger } from './logger.js';
import { PeerLink } from './peer-link.js';
import { NodeServer, type ClientConnection } from './server.js';
import type { Store } from './storage/store.js';

export interface NodeOptions {
  config: ClusterConfig;
  nodeId: number;
  secret: string;
  store: Store;
  logger: Logger;
  random: Random;
  /** Told when a peer connects or disconnects, and about repairs, for the orchestrator. */
  onEvent?: (event: NodeEvent) => void;
}

export type NodeEvent = { type: 'peer-up' | 'peer-down'; peer: number };

/** One quartet node: serves clients and peers, coordinates requests, keeps its replicas. */
export class QuartetNode {
  readonly id: number;
  readonly links: LinkTable;
  readonly #options: NodeOptions;
  readonly #config: ClusterConfig;
  readonly #clock: HybridClock;
  readonly #ring: Ring;
  readonly #scheduler: LinkScheduler;
  readonly #peers = new Map<number, PeerLink>();
  readonly #host: CoordinatorHost;
  readonly #server: NodeServer;
  readonly #inflight = new WeakMap<ClientConnection, number>();
  readonly #startedAtMs = Date.now();
  #purgeTimer: NodeJS.Timeout | undefined;

  constructor(options: NodeOptions) {
    const { config, nodeId, logger } = options;
    this.#options = options;
    this.#config = config;
    this.id = nodeId;
    this.#clock = new HybridClock(nodeId);
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
    );
    const limits = { keyBytesMax: config.keyBytesMax, valueBytesMax: config.valueBytesMax };
    const frameBytesMax = Math.max(
      frameBytesMaxDefault,
      config.valueBytesMax + config.keyBytesMax + 4096,
    );
    for (const peer of config.servers) {
      if (peer.id === nodeId) continue;
      this.#peers.set(
        peer.id,
        new PeerLink({
          selfId: nodeId,
          peer,
          secret: options.secret,
          limits,
          frameBytesMax,
          scheduler: this.#scheduler,
          logger,
          onUp: (id) => options.onEvent?.({ type: 'peer-up', peer: id }),
          onDown: (id) => options.onEvent?.({ type: 'peer-down', peer: id }),
        }),
      );
    }
    this.#host = new CoordinatorHost(
      {
        read: (to, key) => this.#readReplica(to, key),
        write: (to, key, version, kind) => this.#writeReplica(to, key, version, kind),
        isReachable: (to) => to === nodeId || this.#peers.get(to)?.isUp === true,
      },
      config.requestTimeoutMs,
    );
    this.#server = new NodeServer({
      nodeId,
      secret: options.secret,
      limits,
      frameBytesMax,
      logger,
      sendToPeer: (peer, deliver) => void this.#scheduler.send(peer, deliver),
      handlers: {
        onClientRequest: (request, connection) => this.#onClientRequest(request, connection),
        onPeerRequest: (from, request, reply) => this.#onPeerRequest(from, request, reply),
      },
    });
  }

  get address(): { host: string; port: number } {
    const server = this.#config.servers.find((s) => s.id === this.id)!;
    return { host: server.host, port: server.port };
  }

  /** Listens on the node's port, then dials every peer (they reconnect until reached). */
  async start(): Promise<void> {
    const { host, port } = this.address;
    await this.#server.listen(host, port);
    for (const peer of this.#peers.values()) peer.start();
    const purgeEveryMs = Math.max(1000, Math.min(60_000, this.#config.tombstoneGraceMs / 2));
    this.#purgeTimer = setInterval(() => this.#purgeTombstones(), purgeEveryMs);
    this.#purgeTimer.unref();
    this.#options.logger.info(
      `node ${this.id} listening on ${host}:${port} (${this.#options.store.kind} store)`,
    );
  }

  async stop(): Promise<void> {
    if (this.#purgeTimer !== undefined) clearInterval(this.#purgeTimer);
    for (const peer of this.#peers.values()) peer.close();
    this.#scheduler.close();
    this.#host.close();
    await this.#server.close();
    await this.#options.store.close();
  }

  peersUp(): number[] {
    return [...this.#peers.values()].filter((peer) => peer.isUp).map((peer) => peer.peerId);
  }

  stats(): NodeStats {
    let tombstones = 0;
    for (const [, version] of this.#options.store.entries())
      if (version.value === null) tombstones++;
    const { host, port } = this.address;
    return {
      nodeId: this.id,
      pid: process.pid,
      address: `${host}:${port}`,
      keys: this.#options.store.size - tombstones,
      tombstones,
      peers: [...this.#peers.values()].map((peer) => ({ node: peer.peerId, connected: peer.isUp })),
      pendingRepairs: this.#host.pendingRepairs,
      activeCoordinations: this.#host.activeCount,
      uptimeMs: Date.now() - this.#startedAtMs,
    };
  }

  #onClientRequest(request: ClientRequest, connection: ClientConnection): void {
    switch (request.type) {
      case 'stats':
        connection.send({ type: 'stats-result', id: request.id, stats: this.stats() });
        return;
      case 'dump': {
        const entries = [...this.#options.store.entries()]
          .map(([key, version]) => ({ key, version }))
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        connection.send({ type: 'dump-result', id: request.id, entries });
        return;
      }
      case 'local': {
        const version = this.#options.store.get(request.key);
        connection.send(
          version === undefined
            ? { type: 'local-result', id: request.id }
            : { type: 'local-result', id: request.id, version },
        );
        return;
      }
      default:
        this.#coordinate(request, connection);
    }
  }

  #coordinate(
    request: Extract<ClientRequest, { type: 'get' | 'put' | 'delete' }>,
    connection: ClientConnection,
  ): void {
    const { id } = request;
    const inflight = this.#inflight.get(connection) ?? 0;
    try {
      if (inflight >= inflightPerConnectionMax) {
        throw new QuartetError(
          'OVERLOADED',
          `Over ${inflightPerConnectionMax} requests in flight on one connection; wait for answers before sending more.`,
        );
      }
      const level: LevelName = request.level ?? this.#config.defaultLevel;
      const params = {
        op: request.type === 'put' ? request.op : request.type,
        key: request.key,
        level,
        coordinator: this.id,
        replicas: this.#ring.replicasFor(request.key),
        required: requiredAnswers(level, this.#config.replicationFactor),
      };
      this.#inflight.set(connection, inflight + 1);
      let answered = false;
      const finish = () => {
        if (!answered) this.#inflight.set(connection, (this.#inflight.get(connection) ?? 1) - 1);
        answered = true;
      };
      const callbacks = {
        respond: (result: import('../core/messages.js').OpResult) => {
          finish();
          connection.send({ type: 'result', id, result });
        },
        fail: (error: import('../core/errors.js').ErrorRecord) => {
          finish();
          connection.send({ type: 'error', id, error });
        },
        repair: (event: import('../core/messages.js').RepairEvent) => {
          this.#options.logger.info(
            `repaired key ${JSON.stringify(event.key)} on node ${event.node}: ${event.applied ? 'applied' : (event.error?.message ?? 'already newer')}`,
          );
          if (connection.open) connection.send({ type: 'repair-event', id, event });
        },
      };
      if (request.type === 'get') {
        this.#host.read(params, this.#config.readRepair, callbacks);
      } else {
        const value = request.type === 'put' ? request.value : null;
        const version: Version = { value, ts: this.#clock.stamp(Date.now()) };
        this.#host.write(params, version, callbacks);
      }
    } catch (error) {
      connection.send({ type: 'error', id, error: toErrorRecord(error) });
    }
  }

  #onPeerRequest(
    from: number,
    request: Exclude<PeerRequest, { type: 'auth' }>,
    reply: (answer: PeerReply) => void,
  ): void {
    if (request.type === 'read') {
      const version = this.#options.store.get(request.key);
      reply(
        version === undefined
          ? { type: 'read-reply', id: request.id }
          : { type: 'read-reply', id: request.id, version },
      );
      return;
    }
    this.#clock.observe(request.version.ts, Date.now());
    this.#apply(request.key, request.version).then(
      (ack) => reply({ type: 'write-reply', id: request.id, ...ack }),
      (error: unknown) => {
        this.#options.logger.error(
          `node ${from}'s ${request.type} of ${JSON.stringify(request.key)} failed: ${String(error)}`,
        );
        reply({ type: 'error', id: request.id, error: toErrorRecord(error) });
      },
    );
  }

  async #apply(key: string, version: Version): Promise<WriteAck> {
    const held = this.#options.store.get(key);
    const decision = decideWrite(held, version);
    if (decision.apply) await this.#options.store.put(key, version);
    const ack: WriteAck = { created: decision.created, applied: decision.apply };
    if (held !== undefined) ack.before = held.ts;
    return ack;
  }

  #readReplica(to: number, key: string): Promise<Version | undefined> {
    if (to === this.id) return Promise.resolve(this.#options.store.get(key));
    const peer = this.#peerLink(to);
    return peer.request({ type: 'read', key }).then((reply) => {
      if (reply.type === 'read-reply') return reply.version;
      throw new QuartetError(
        reply.type === 'error' ? reply.error.code : 'INTERNAL',
        reply.type === 'error' ? reply.error.message : 'Unexpected reply to a read.',
      );
    });
  }

  #writeReplica(
    to: number,
    key: string,
    version: Version,
    kind: 'write' | 'repair',
  ): Promise<WriteAck> {
    if (to === this.id) return this.#apply(key, version);
    const peer = this.#peerLink(to);
    return peer.request({ type: kind, key, version }).then((reply) => {
      if (reply.type === 'write-reply') {
        const ack: WriteAck = { created: reply.created, applied: reply.applied };
        if (reply.before !== undefined) ack.before = reply.before;
        return ack;
      }
      throw new QuartetError(
        reply.type === 'error' ? reply.error.code : 'INTERNAL',
        reply.type === 'error' ? reply.error.message : 'Unexpected reply to a write.',
      );
    });
  }

  #peerLink(to: number): PeerLink {
    const peer = this.#peers.get(to);
    if (peer === undefined)
      throw new QuartetError('INTERNAL', `Node ${to} is not in this node's config.`);
    return peer;
  }

  // Tombstones past the grace period can no longer be brought back by repair: drop them.
  #purgeTombstones(): void {
    const nowMs = Date.now();
    const purgeable: string[] = [];
    for (const [key, version] of this.#options.store.entries()) {
      if (isPurgeable(version, nowMs, this.#config.tombstoneGraceMs)) purgeable.push(key);
    }
    for (const key of purgeable) void this.#options.store.remove(key);
    if (purgeable.length > 0)
      this.#options.logger.info(
        `purged ${purgeable.length} tombstones older than ${this.#config.tombstoneGraceMs} ms`,
      );
  }
}
