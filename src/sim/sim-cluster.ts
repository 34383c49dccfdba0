import type { CompleteRecord, DumpRecord, FaultRecord, HistoryRecord } from '../check/history.js';
import type { ClusterConfig } from '../config/types.js';
import { noneCommitDelayMs } from '../core/durability.js';
import { EventQueue } from '../core/event-queue.js';
import type { Random } from '../core/random.js';
import { ringOf, type Ring } from '../core/ring.js';
import type { NodeParts } from '../node/node-parts.js';
import type { Logger } from '../node/logger.js';
import { ClientGateway, type ClientRequest } from './client-gateway.js';
import { settleQueue } from './settle.js';
import { SimTracer } from './sim-tracer.js';
import { SimNode } from './sim-node.js';
import type { NodeClockSettings, WorkTracker } from './sim-runtime.js';
import { SimStore } from './sim-store.js';
import type { DeliverRequest } from './sim-transport.js';
import { VirtualNetwork } from './virtual-network.js';
import { noTracer, type TraceNote, type Tracer } from '../node/tracer.js';
import { answerNote } from '../node/trace-notes.js';
import type { PeerReply } from '../core/messages.js';
import type { Timestamp } from '../core/clock.js';
import type { FaultEvent as TraceEvent } from '../trace/trace-format.js';

export interface SimClusterOptions {
  config: ClusterConfig;
  /** Random numbers for the network (delays, loss) and for reconnection times. */
  networkRandom: Random;
  /** A crash keeps the node's data when true; loses it (in-memory storage) when false. */
  durable: boolean;
  parts?: NodeParts;
  record: (record: HistoryRecord) => void;
  /** Where the nodes' log lines go (none by default). */
  logger?: (node: number) => Logger;
  /** Seeds the nodes' own random streams. */
  seed?: number;
  /** Trace the run (SimCluster.simTracer holds the events). */
  trace?: boolean;
}

/** Longest time a peer takes to redial a restarted node (the real peer link's backoff cap). */
const reconnectDelayMsMax = 1000;
const reconnectDelayMsMin = 20;
/** A restarted node's own links come up after its handshakes. */
const dialDelayMs = 1;

const silent: Logger = {
  debugEnabled: false,
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/**
 * N simulated nodes on one virtual network and clock, each running the node's own services
 * (src/node/node-services.ts) on a SimRuntime, with faults on demand.
 */
export class SimCluster {
  readonly queue = new EventQueue();
  readonly network: VirtualNetwork;
  readonly nodes = new Map<number, SimNode>();
  readonly config: ClusterConfig;
  readonly ring: Ring;
  readonly tracker: WorkTracker = { pending: 0 };
  readonly tracer: Tracer;
  readonly simTracer: SimTracer | undefined;
  /** When the last redial scheduled by a restart connects (virtual ms). */
  reconnectedByMs = 0;
  readonly #options: SimClusterOptions;
  readonly #clients: ClientGateway;

  constructor(options: SimClusterOptions) {
    const { config } = options;
    this.#options = options;
    this.config = config;
    this.simTracer = options.trace === true ? new SimTracer(this.queue) : undefined;
    this.tracer = this.simTracer ?? noTracer;
    this.network = new VirtualNetwork(
      config,
      this.queue,
      options.networkRandom,
      options.networkRandom,
      this.tracer,
    );
    const ids = config.servers.map((server) => server.id);
    this.ring = ringOf(ids, config.replicationFactor, config.virtualNodes);
    // Durable storage loses, in a crash, only what `durability: none` had not committed yet.
    const unsyncedWindowMs =
      options.durable && config.durability === 'none' ? noneCommitDelayMs : 0;
    const deliver: DeliverRequest = (from, to, request, reply, note) =>
      this.#deliver(from, to, request, reply, note);
    const context = {
      config,
      queue: this.queue,
      network: this.network,
      tracker: this.tracker,
      tracer: this.tracer,
      deliver,
      logger: options.logger ?? (() => silent),
      seed: options.seed ?? 0,
      ...(options.parts === undefined ? {} : { parts: options.parts }),
    };
    for (const id of ids) {
      const store = new SimStore(() => this.queue.nowMs, unsyncedWindowMs);
      this.nodes.set(id, new SimNode(id, store, context));
    }
    for (const node of this.nodes.values()) node.start();
    for (const node of this.nodes.values())
      for (const peer of ids) if (peer !== node.id) node.transport.connect(peer);
    this.#clients = new ClientGateway({
      queue: this.queue,
      nodes: this.nodes,
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

  /** How many read repairs coordinators sent. */
  get repairs(): number {
    return this.#clients.repairs;
  }

  /** Runs events until the cluster is quiet (see settleQueue). */
  async settle(untilMs = 0, awaitBackgroundMs = 0): Promise<void> {
    await settleQueue(this.queue, this.tracker, untilMs, awaitBackgroundMs);
  }

  crash(nodeId: number): void {
    const node = this.nodes.get(nodeId);
    if (node === undefined || !node.up) return;
    const lost = node.crash(this.#options.durable);
    this.#fault({ fault: 'crash', node: nodeId, lost: !this.#options.durable || lost > 0 });
    this.#clients.failOpen(nodeId);
    // Its peers see their connections break at once (the OS closes a dead process's sockets).
    for (const peer of this.nodes.values()) if (peer.up) peer.transport.disconnect(nodeId);
  }

  restart(nodeId: number): void {
    const node = this.nodes.get(nodeId);
    if (node === undefined || node.up) return;
    const warning = node.start(this.#options.durable);
    this.#fault({ fault: 'restart', node: nodeId, ...(warning === undefined ? {} : { warning }) });
    const random = this.#options.networkRandom;
    for (const peer of this.nodes.values()) {
      if (peer.id === nodeId || !peer.up) continue;
      const lives = { node: node.incarnation, peer: peer.incarnation };
      const alive = () =>
        node.up && peer.up && node.incarnation === lives.node && peer.incarnation === lives.peer;
      // The restarted node dials its peers at once; each peer redials it after its backoff.
      this.queue.after(dialDelayMs * 1000, () => alive() && node.transport.connect(peer.id));
      const backoffMs =
        reconnectDelayMsMin + random() * (reconnectDelayMsMax - reconnectDelayMsMin);
      this.queue.after(backoffMs * 1000, () => alive() && peer.transport.connect(nodeId));
      this.reconnectedByMs = Math.max(this.reconnectedByMs, this.nowMs + backoffMs);
    }
  }

  /** A scheduled `repair`: the node runs anti-entropy with every peer (when it is up). */
  repair(nodeId: number): void {
    const node = this.nodes.get(nodeId);
    if (node === undefined || !node.up) return;
    this.#fault({ fault: 'repair', node: nodeId });
    this.track(node.services.repair(undefined));
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

  /** `phase`: `repaired` before the final reads (what recovery did), `final` after them. */
  recordDump(node: number, entries: DumpRecord['entries'], phase: 'repaired' | 'final'): void {
    const dump: DumpRecord = { type: 'dump', time: this.nowMs, node, entries };
    if (phase === 'repaired') dump.phase = phase;
    this.#record(dump);
  }

  /** Background work the next `settle` waits for. */
  track(work: Promise<unknown>): void {
    this.tracker.pending++;
    void work.then(
      () => this.tracker.pending--,
      () => this.tracker.pending--,
    );
  }

  // A request from `from` reaches `to`'s current process; its reply goes back over `to`'s links.
  #deliver(
    from: number,
    to: number,
    request: Parameters<DeliverRequest>[2],
    reply: Parameters<DeliverRequest>[3],
    note: TraceNote | undefined,
  ): void {
    const replica = this.nodes.get(to);
    if (replica === undefined || !replica.up) return;
    const incarnation = replica.incarnation;
    replica.services.handlePeerRequest(from, request, (answer) => {
      if (!replica.up || replica.incarnation !== incarnation) return;
      this.network
        .from(to)
        .send(
          from,
          () => replica.up && replica.incarnation === incarnation && reply(answer),
          'data',
          note === undefined ? undefined : answerNote(note, answer),
        );
    });
  }

  #fault(fields: Omit<FaultRecord, 'type' | 'time'>): void {
    this.#record({ type: 'fault', time: this.nowMs, ...fields });
    if (this.tracer.enabled) traceFault(this.tracer, fields);
  }

  #record(record: HistoryRecord): void {
    this.#options.record(record);
  }
}

// The history's fault record as the trace's fault event (a scheduled `repair` is no fault).
function traceFault(tracer: Tracer, fields: Omit<FaultRecord, 'type' | 'time'>): void {
  const t = tracer.nowUs();
  const f = fields as Record<string, unknown>;
  const node = typeof f['node'] === 'number' ? (f['node'] as number) : undefined;
  switch (fields.fault) {
    case 'crash':
      return tracer.emit({ type: 'fault', t, fault: 'kill', node: node! });
    case 'restart':
      return tracer.emit({ type: 'fault', t, fault: 'restart', node: node! });
    case 'partition':
      return tracer.emit({
        type: 'fault',
        t,
        fault: 'partition',
        groups: f['groups'] as number[][],
      });
    case 'heal':
      return tracer.emit({ type: 'fault', t, fault: 'heal' });
    case 'loss': {
      const event: TraceEvent = {
        type: 'fault',
        t,
        fault: 'loss',
        lossRate: f['lossRate'] as number,
      };
      if (typeof f['from'] === 'number') event.from = f['from'] as number;
      if (typeof f['to'] === 'number') event.to = f['to'] as number;
      return tracer.emit(event);
    }
    case 'clock':
      return tracer.emit({
        type: 'fault',
        t,
        fault: 'skew',
        node: node!,
        skewMs: f['skewMs'] as number,
      });
    default:
      return;
  }
}
