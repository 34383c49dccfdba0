import type { ClusterConfig } from '../config/types.js';
import { LinkTable } from '../core/links.js';
import type { AntiEntropyReport, NodeStats } from '../core/messages.js';
import type { Random } from '../core/random.js';
import type { ControlMessage } from '../protocol/control.js';
import { frameBytesMaxDefault } from '../protocol/limits.js';
import type { HintTable } from './hints.js';
import type { HttpApi, HttpApiOptions } from './http-api.js';
import type { Logger } from './logger.js';
import type { NodeClock } from './node-clock.js';
import { NodeServices } from './node-services.js';
import { NodeServer } from './server.js';
import type { Store } from './storage/store.js';
import type { Tracer } from './tracer.js';
import type { SwitchableTracer } from './operator-trace.js';
import { TcpRuntime } from './tcp-runtime.js';

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
  /** Where the node's trace goes (none by default). */
  tracer?: Tracer;
  /** `tracer` when it is one an operator switches on over TCP (`quartet node`). */
  operatorTracer?: SwitchableTracer;
}

export type NodeEvent = { type: 'peer-up' | 'peer-down'; peer: number };

/** Peers reply with whole anti-entropy ranges: allow them bigger frames than clients. */
const peerReplyBytesMax = 64 * 1024 * 1024;

/**
 * One quartet node process: the node's services (node-services.ts) on the TCP runtime, served
 * to clients and peers over TCP, and to HTTP clients when asked.
 */
export class QuartetNode {
  readonly id: number;
  readonly links: LinkTable;
  /** The wall clock (and its skew, set by the orchestrator) and the hybrid clock over it. */
  readonly clock: NodeClock;
  readonly #options: NodeOptions;
  readonly #config: ClusterConfig;
  readonly #runtime: TcpRuntime;
  readonly #services: NodeServices;
  readonly #server: NodeServer;
  /** The HTTP API's options when it is on; node:http loads only then, at `start`. */
  readonly #httpOptions: HttpApiOptions | undefined;
  #http: HttpApi | undefined;
  #httpAddress: { host: string; port: number } | undefined;

  constructor(options: NodeOptions) {
    const { config, nodeId, logger } = options;
    this.#options = options;
    this.#config = config;
    this.id = nodeId;
    this.links = new LinkTable(config);
    const limits = { keyBytesMax: config.keyBytesMax, valueBytesMax: config.valueBytesMax };
    const frameBytesMax = Math.max(
      frameBytesMaxDefault,
      config.valueBytesMax + config.keyBytesMax + 4096,
    );
    this.#runtime = new TcpRuntime({
      config,
      nodeId,
      secret: options.secret,
      links: this.links,
      limits,
      frameBytesMax: Math.max(frameBytesMax, peerReplyBytesMax),
      logger,
      random: options.random,
      heartbeatRandom: options.heartbeatRandom,
      store: options.store,
      hints: options.hints,
      ...(options.tracer === undefined ? {} : { tracer: options.tracer }),
      onConnection: (peer, up) => options.onEvent?.({ type: up ? 'peer-up' : 'peer-down', peer }),
    });
    const services = new NodeServices({
      config,
      nodeId,
      runtime: this.#runtime,
      logger,
      processInfo: () => ({
        pid: process.pid,
        address: this.#addressText(),
        connections: this.#server.connections,
      }),
    });
    this.#services = services;
    this.clock = services.clock;
    this.#httpOptions =
      options.httpPort === undefined
        ? undefined
        : {
            nodeId,
            limits,
            logger,
            handle: (request, connection) => services.clients.handle(request, connection),
            replicas: (key) => this.#searchReplicas(key),
          };
    this.#server = new NodeServer({
      nodeId,
      secret: options.secret,
      limits,
      frameBytesMax,
      logger,
      budget: services.clients.budget,
      sendToPeer: (peer, writer, request, answer) =>
        this.#runtime.replyThroughLink(peer, writer, request, answer),
      handlers: {
        onClientRequest: (request, connection) => services.clients.handle(request, connection),
        isClientBusy: (connection) => services.clients.isSessionFull(connection),
        onControl: (control) => options.onControl?.(control) ?? false,
        onPeerRequest: (from, request, reply) => this.#runtime.receive(from, request, reply),
        onPeerConnected: (from) => this.#runtime.dialNow(from),
        ...(options.operatorTracer === undefined ? {} : { operatorTracer: options.operatorTracer }),
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
    if (this.#httpOptions !== undefined) {
      const { HttpApi } = await import('./http-api.js');
      this.#http = new HttpApi(this.#httpOptions);
      this.#httpAddress = await this.#http.listen(host, this.#options.httpPort ?? 0);
    }
    this.#services.start();
    this.#options.logger.info(
      `node ${this.id} listening on ${host}:${port} (${this.#options.store.kind} store)${this.#httpAddress ? `, HTTP on ${host}:${this.#httpAddress.port}` : ''}`,
    );
  }

  /** The HTTP API's address once started, when it is on. */
  get httpAddress(): { host: string; port: number } | undefined {
    return this.#httpAddress;
  }

  async stop(): Promise<void> {
    this.#services.stop();
    await this.#http?.close();
    await this.#server.close();
    await this.#options.store.close();
  }

  /** Anti-entropy with the given peers (all by default), one after another. */
  repair(peers: number[] | undefined): Promise<AntiEntropyReport[]> {
    return this.#services.repair(peers);
  }

  stats(): NodeStats {
    return this.#services.stats({
      pid: process.pid,
      address: this.#addressText(),
      connections: this.#server.connections,
    });
  }

  #addressText(): string {
    const { host, port } = this.address;
    return `${host}:${port}`;
  }

  // What each replica of a key holds, in node order, as `search` shows it.
  async #searchReplicas(key: string): Promise<Record<string, unknown>[]> {
    const nodes = [...this.#services.ring.replicasFor(key)].sort((a, b) => a - b);
    return Promise.all(
      nodes.map(async (node) => {
        try {
          const version = await this.#services.router.read(node, key);
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
}
