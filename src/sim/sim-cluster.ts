import type { CompleteRecord, DumpRecord, FaultRecord, HistoryRecord } from '../check/history.js';
import type { ClusterConfig } from '../config/types.js';
import type { Random } from '../core/random.js';
import { noneCommitDelayMs } from '../core/durability.js';
import { Ring } from '../core/ring.js';
import { ClientGateway, type ClientRequest } from './client-gateway.js';
import { coreCoordinations, type CoordinationFactory } from './coordination-factory.js';
import { EventQueue } from './event-queue.js';
import { SimCoordinator } from './sim-coordinator.js';
import { SimNode, type NodeClockSettings } from './sim-node.js';
import { VirtualNetwork } from './virtual-network.js';

export interface SimClusterOptions {
  config: ClusterConfig;
  /** Random numbers for the network (delays, loss) and for reconnection times. */
  networkRandom: Random;
  /** A crash keeps the node's data when true; loses it (in-memory storage) when false. */
  durable: boolean;
  coordinations?: CoordinationFactory;
  record: (record: HistoryRecord) => void;
}

/** Longest time a peer takes to redial a restarted node (the real peer link's backoff cap). */
const reconnectDelayMsMax = 1000;
const reconnectDelayMsMin = 20;

/** N simulated nodes on one virtual network and clock, with faults on demand. */
export class SimCluster {
  readonly queue = new EventQueue();
  readonly network: VirtualNetwork;
  readonly nodes = new Map<number, SimNode>();
  readonly config: ClusterConfig;
  readonly ring: Ring;
  readonly coordinator: SimCoordinator;
  readonly #options: SimClusterOptions;
  readonly #clients: ClientGateway;

  constructor(options: SimClusterOptions) {
    const { config } = options;
    this.#options = options;
    this.config = config;
    this.network = new VirtualNetwork(config, this.queue, options.networkRandom);
    const ids = config.servers.map((server) => server.id);
    this.ring = new Ring(ids, config.replicationFactor, config.virtualNodes);
    // Durable storage loses, in a crash, only what `durability: none` had not committed yet.
    const unsyncedWindowMs =
      options.durable && config.durability === 'none' ? noneCommitDelayMs : 0;
    for (const id of ids) {
      const node = new SimNode(id, ids, { skewMs: 0, resolutionMs: 1 }, config.maxClockOffsetMs);
      node.unsyncedWindowMs = unsyncedWindowMs;
      this.nodes.set(id, node);
    }
    this.coordinator = new SimCoordinator({
      queue: this.queue,
      network: this.network,
      nodes: this.nodes,
      requestTimeoutMs: config.requestTimeoutMs,
    });
    this.#clients = new ClientGateway({
      config,
      queue: this.queue,
      nodes: this.nodes,
      ring: this.ring,
      coordinator: this.coordinator,
      factory: options.coordinations ?? coreCoordinations,
      record: (record) => this.#record(record),
    });
  }

  get nowMs(): number {
    return this.queue.nowMs;
  }

  upNodes(): number[] {
    return [...this.nodes.values()].filter((node) => node.up).map((node) => node.id);
  }

  /** One client operation sent to a coordinator; `done` gets its completion record. */
  submit(request: ClientRequest, done?: (record: CompleteRecord) => void): void {
    this.#clients.submit(request, done);
  }

  crash(nodeId: number): void {
    const node = this.nodes.get(nodeId);
    if (node === undefined || !node.up) return;
    const lost = node.crash(this.#options.durable, this.nowMs);
    this.#fault({ fault: 'crash', node: nodeId, lost: !this.#options.durable || lost > 0 });
    for (const peer of node.reachable.keys()) node.reachable.set(peer, false);
    this.coordinator.forget(node);
    this.#clients.failOpen(nodeId);
    // Its peers see their connections break at once (the OS closes a dead process's sockets).
    for (const peer of this.nodes.values()) {
      if (!peer.up) continue;
      peer.reachable.set(nodeId, false);
      this.coordinator.peerDown(peer, nodeId);
    }
  }

  restart(nodeId: number): void {
    const node = this.nodes.get(nodeId);
    if (node === undefined || node.up) return;
    this.#fault({ fault: 'restart', node: nodeId });
    node.restart(this.nowMs);
    const random = this.#options.networkRandom;
    for (const peer of this.nodes.values()) {
      if (peer.id === nodeId || !peer.up) continue;
      const lives = { node: node.incarnation, peer: peer.incarnation };
      const alive = () =>
        node.up && peer.up && node.incarnation === lives.node && peer.incarnation === lives.peer;
      // The restarted node dials its peers at once; each peer redials it after its backoff.
      this.queue.after(1000, () => alive() && node.reachable.set(peer.id, true));
      const backoffMs =
        reconnectDelayMsMin + random() * (reconnectDelayMsMax - reconnectDelayMsMin);
      this.queue.after(backoffMs * 1000, () => alive() && peer.reachable.set(nodeId, true));
    }
  }

  partition(groups: number[][]): void {
    this.#fault({ fault: 'partition', groups });
    this.network.links.partition(groups);
  }

  heal(): void {
    this.#fault({ fault: 'heal' });
    this.network.links.heal();
  }

  /** Every link back to the config's loss rate (a `loss` record without `from`/`to`). */
  clearLoss(): void {
    this.#fault({ fault: 'loss', lossRate: 0 });
    this.network.clearLoss();
  }

  setLoss(from: number, to: number, lossRate: number): void {
    this.#fault({ fault: 'loss', from, to, lossRate });
    this.network.links.setLinkLoss(from, to, lossRate);
  }

  setClock(nodeId: number, settings: NodeClockSettings): void {
    const node = this.nodes.get(nodeId);
    if (node === undefined) return;
    node.clockSettings = settings;
    this.#fault({ fault: 'clock', node: nodeId, ...settings });
  }

  recordQuiet(): void {
    this.#record({ type: 'quiet', time: this.nowMs });
  }

  recordDump(node: number, entries: DumpRecord['entries']): void {
    this.#record({ type: 'dump', time: this.nowMs, node, entries });
  }

  #fault(fields: Omit<FaultRecord, 'type' | 'time'>): void {
    this.#record({ type: 'fault', time: this.nowMs, ...fields });
  }

  #record(record: HistoryRecord): void {
    this.#options.record(record);
  }
}
