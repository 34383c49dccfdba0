import type { ClusterConfig } from '../config/types.js';
import type { EventQueue } from '../core/event-queue.js';
import { createSeededRandom } from '../core/random.js';
import { MemoryHintTable, type HintTable } from '../node/hints.js';
import type { Logger } from '../node/logger.js';
import type { NodeParts } from '../node/node-parts.js';
import { NodeServices } from '../node/node-services.js';
import { rejoinWarning } from '../node/rejoin-warning.js';
import type { Tracer } from '../node/tracer.js';
import { SimRuntime, type NodeClockSettings, type WorkTracker } from './sim-runtime.js';
import type { SimStore } from './sim-store.js';
import { SimTransport, type DeliverRequest } from './sim-transport.js';
import type { VirtualNetwork } from './virtual-network.js';

/** 16 ranges: a run holds a handful of keys (the node's default is 1024). */
const simMerkleDepth = 4;

export interface SimProcessContext {
  config: ClusterConfig;
  queue: EventQueue;
  network: VirtualNetwork;
  tracker: WorkTracker;
  tracer: Tracer;
  deliver: DeliverRequest;
  logger: (node: number) => Logger;
  parts?: NodeParts;
  seed: number;
}

/**
 * One simulated node: its store and hint table (they outlive a crash when durable) and, while
 * it is up, one process running the node's own services on a SimRuntime.
 */
export class SimNode {
  readonly id: number;
  readonly store: SimStore;
  hints: HintTable = new MemoryHintTable();
  clockSettings: NodeClockSettings = { skewMs: 0, resolutionMs: 1 };
  up = false;
  /** Bumped by every start: messages and timers of an earlier life are ignored. */
  incarnation = 0;
  /** When the node last crashed (virtual ms), to tell how long it was down. */
  crashedAtMs: number | undefined;
  #services: NodeServices | undefined;
  #transport: SimTransport | undefined;
  readonly #context: SimProcessContext;

  constructor(id: number, store: SimStore, context: SimProcessContext) {
    this.id = id;
    this.store = store;
    this.#context = context;
  }

  get services(): NodeServices {
    if (this.#services === undefined) throw new Error(`Node ${this.id} is not running.`);
    return this.#services;
  }

  get transport(): SimTransport {
    if (this.#transport === undefined) throw new Error(`Node ${this.id} is not running.`);
    return this.#transport;
  }

  /**
   * A new process over the store as it is (a crash decided what it kept). Returns the warning
   * the node printed when it was down longer than the tombstone grace with its data kept.
   */
  start(durable = false): string | undefined {
    const context = this.#context;
    const downForMs =
      durable && this.crashedAtMs !== undefined
        ? context.queue.nowMs - this.crashedAtMs
        : undefined;
    const warning = rejoinWarning(this.id, downForMs, context.config.tombstoneGraceMs);
    if (warning !== undefined) context.logger(this.id).warn(warning);
    const incarnation = ++this.incarnation;
    this.up = true;
    const alive = () => this.up && this.incarnation === incarnation;
    const peers = context.config.servers.map((s) => s.id).filter((id) => id !== this.id);
    this.#transport = new SimTransport(
      this.id,
      peers,
      context.network.from(this.id),
      alive,
      context.deliver,
    );
    this.store.open();
    const runtime = new SimRuntime({
      queue: context.queue,
      random: createSeededRandom(context.seed + this.id * 7919 + incarnation),
      transport: this.#transport,
      store: this.store,
      hints: this.hints,
      clock: () => this.clockSettings,
      alive,
      tracker: context.tracker,
      tracer: context.tracer,
    });
    const server = context.config.servers.find((s) => s.id === this.id)!;
    this.#services = new NodeServices({
      config: context.config,
      nodeId: this.id,
      runtime,
      logger: context.logger(this.id),
      processInfo: () => ({ pid: 0, address: `${server.host}:${server.port}` }),
      merkleDepth: simMerkleDepth,
      ...(context.parts === undefined ? {} : { parts: context.parts }),
    });
    this.#services.start();
    return warning;
  }

  /** The process dies; returns how many versions its store lost. */
  crash(durable: boolean): number {
    this.up = false;
    this.crashedAtMs = this.#context.queue.nowMs;
    const lost = this.store.crash(durable);
    if (!durable) this.hints = new MemoryHintTable();
    this.#transport?.close();
    return lost;
  }
}
