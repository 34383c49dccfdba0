import { createTraceMeta, type Trace, type TraceEvent } from '../trace/trace-format.js';
import { TraceSink } from './trace-sink.js';
import { PausedDeliveries } from './paused-deliveries.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { QuartetClient } from '../client/client.js';
import type { ClusterConfig } from '../config/types.js';
import { QuartetError } from '../core/errors.js';
import { Ring } from '../core/ring.js';
import type { ControlMessage, NodeReport } from '../protocol/control.js';
import { createSecret } from '../node/secret.js';
import type { ClusterHandle } from './cluster-handle.js';
import { NodeProcess, type NodeProcessState } from './node-process.js';

export interface ClusterOptions {
  config: ClusterConfig;
  configPath: string;
  delayUnit?: 'ms' | 's';
  /** The cluster's working directory: logs/ goes under it. */
  dir: string;
  seed?: number;
  /** Where node N keeps its data: DIR/node-N. Default: the working directory's data/. */
  dataDir?: string;
  /** Keep data in memory: lost when a node stops. */
  inMemory?: boolean;
  /** Delete the nodes' data at their first start. */
  fresh?: boolean;
  /** A node's warning for people (e.g. it was down longer than the tombstone grace). */
  onWarning?: (id: number, message: string) => void;
  onLogLine?: (id: number, line: string) => void;
  /** A node went down on its own (not by `kill`), or a peer link changed. */
  onNodeExit?: (id: number) => void;
  /** Trace the run: the nodes send their events, the latest kept for `trace` at the prompt. */
  traced?: boolean;
  /** Also write the trace (docs/trace.md) to this file (implies `traced`). */
  tracePath?: string;
}

export interface NodeInfo {
  id: number;
  host: string;
  port: number;
  pid: number | undefined;
  state: NodeProcessState;
}

/**
 * The nodes an orchestrator started: their processes, a client connection to each, and the
 * faults it can inject (kill, restart, pause, delays, loss, partitions).
 */
export class Cluster implements ClusterHandle {
  readonly config: ClusterConfig;
  readonly ring: Ring;
  readonly logDir: string;
  readonly #options: ClusterOptions;
  readonly #secret = createSecret();
  readonly #nodes = new Map<number, NodeProcess>();
  readonly #clients = new Map<number, Promise<QuartetClient>>();
  readonly #peersUp = new Map<number, Set<number>>();
  readonly #peerWaiters = new Set<() => void>();
  /** Control messages in force, replayed to a node that restarts. */
  readonly #controls: ControlMessage[] = [];
  readonly #stopping = new Set<number>();
  readonly #started = new Set<number>();
  /** The trace being written (`--trace`), fed by the nodes' batches and the faults. */
  readonly trace: TraceSink | undefined;
  /** Deliveries to a paused node, moved to when it reads them (docs/trace.md). */
  readonly #pausedDeliveries = new PausedDeliveries();
  /** Per node, the last message number it traced: a restarted node counts on from it. */
  readonly #tracedMessages = new Map<number, number>();

  constructor(options: ClusterOptions) {
    this.#options = options;
    this.config = options.config;
    this.ring = new Ring(
      options.config.servers.map((server) => server.id),
      options.config.replicationFactor,
      options.config.virtualNodes,
    );
    this.logDir = join(options.dir, 'logs');
    // `trace` at the prompt reads the latest events; --trace also writes them.
    const traced = options.traced === true || options.tracePath !== undefined;
    this.trace = !traced
      ? undefined
      : new TraceSink(
          options.tracePath,
          createTraceMeta({
            source: 'cluster',
            nodes: options.config.servers.map((server) => server.id),
            replicationFactor: options.config.replicationFactor,
          }),
        );
    for (const server of options.config.servers) {
      const nodeOptions = {
        id: server.id,
        configPath: options.configPath,
        secret: this.#secret,
        logFile: join(this.logDir, `node-${server.id}.log`),
        onReport: (report: NodeReport) => this.#onReport(report),
        onExit: (id: number) => this.#onExit(id),
        ...(options.delayUnit === undefined ? {} : { delayUnit: options.delayUnit }),
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        dataDir: options.dataDir ?? join(options.dir, 'data'),
        inMemory: options.inMemory === true,
        ...(options.onLogLine === undefined ? {} : { onLogLine: options.onLogLine }),
        ...(this.trace === undefined ? {} : { traceOriginUs: this.trace?.originUs }),
      };
      this.#nodes.set(server.id, new NodeProcess(nodeOptions));
    }
  }

  get nodeIds(): number[] {
    return [...this.#nodes.keys()];
  }

  logFile(id: number): string {
    return join(this.logDir, `node-${id}.log`);
  }

  /** Makes the working directory (logs); call once before starting nodes. */
  async prepare(): Promise<void> {
    await mkdir(this.logDir, { recursive: true });
  }

  /** Starts one node and resolves when it listens. Fails with the node's own error. */
  async startNode(id: number): Promise<void> {
    this.#peersUp.set(id, new Set());
    // `fresh` applies to the first start only: a restart must find the data it left.
    const fresh = this.#options.fresh === true && !this.#started.has(id);
    this.#started.add(id);
    const tracedMessagesBefore = this.#tracedMessages.get(id) ?? 0;
    await this.#node(id).start({ fresh, tracedMessagesBefore });
  }

  /** Resolves once every running node is connected to every other running node. */
  waitForPeers(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!this.#allPeersUp()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new QuartetError(
            'NODE_START_FAILED',
            `The nodes did not all connect to each other within ${timeoutMs} ms; see the logs in ${this.logDir}.`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#peerWaiters.delete(check);
      };
      this.#peerWaiters.add(check);
      check();
    });
  }

  info(id: number): NodeInfo {
    const server = this.#server(id);
    const node = this.#node(id);
    return { id, host: server.host, port: server.port, pid: node.pid, state: node.state };
  }

  isNode(id: number): boolean {
    return this.#nodes.has(id);
  }

  /** The orchestrator's connection to node `id`, opened on first use and again after a restart. */
  async client(id: number): Promise<QuartetClient> {
    const node = this.#node(id);
    if (node.state === 'down') {
      throw new QuartetError(
        'NODE_UNREACHABLE',
        `Node ${id} is down; \`restart ${id}\` brings it back, or send the command to another node with \`@N\`.`,
      );
    }
    if (node.state === 'paused') {
      throw new QuartetError(
        'NODE_UNREACHABLE',
        `Node ${id} is paused (SIGSTOP) and cannot answer; \`resume ${id}\` wakes it, or send the command to another node with \`@N\`.`,
      );
    }
    let pending = this.#clients.get(id);
    if (pending !== undefined) {
      const client = await pending.catch(() => undefined);
      if (client !== undefined && !client.closed) return client;
    }
    const server = this.#server(id);
    pending = QuartetClient.connect({ host: server.host, port: server.port });
    this.#clients.set(id, pending);
    return pending;
  }

  async kill(id: number): Promise<void> {
    this.#stopping.add(id);
    if (this.#node(id).state !== 'down') this.#traceKill(id);
    await this.#node(id).kill();
    this.#dropClient(id);
  }

  /** Stops node `id` if it runs, starts it on its data, and resolves once it has rejoined. */
  async restart(id: number): Promise<void> {
    const node = this.#node(id);
    this.#stopping.add(id);
    if (node.state !== 'down') this.#traceKill(id);
    await node.stop();
    this.#dropClient(id);
    this.#stopping.delete(id);
    await this.startNode(id);
    this.trace?.fault({ fault: 'restart', node: id });
    for (const control of this.#controls) await node.control(control);
    // Restarted means rejoined: every running node is connected to it again.
    await this.waitForPeers();
  }

  pause(id: number): void {
    this.#node(id).pause();
    this.trace?.fault({ fault: 'pause', node: id });
    if (this.trace !== undefined) this.#pausedDeliveries.pause(id, this.trace.nowUs());
  }

  resume(id: number): void {
    this.#node(id).resume();
    const sink = this.trace;
    if (sink === undefined) return;
    sink.fault({ fault: 'resume', node: id });
    sink.add(this.#pausedDeliveries.resume(id, sink.nowUs()));
  }

  // Message ids are nodeId * 2^32 + a number (src/node/tracer.ts): keep the last number.
  #noteMessages(node: number, messages: number): void {
    const last = this.#tracedMessages.get(node) ?? 0;
    if (Number.isSafeInteger(messages)) this.#tracedMessages.set(node, Math.max(last, messages));
  }

  // A kill in the trace; what waited in a paused node's socket is lost with it.
  #traceKill(id: number): void {
    const sink = this.trace;
    if (sink === undefined) return;
    sink.fault({ fault: 'kill', node: id });
    sink.add(this.#pausedDeliveries.kill(id, sink.nowUs()));
  }

  /** The latest trace events, once every running node sent what it emitted so far. */
  async recentTrace(): Promise<Trace> {
    const sink = this.trace;
    if (sink === undefined)
      throw new QuartetError('BAD_COMMAND', 'This cluster was started without tracing.');
    await Promise.all([...this.#nodes.values()].map((node) => node.flushTrace()));
    return sink.recent();
  }

  /** Sends a control message to every node, and remembers it for nodes that restart. */
  async broadcast(message: ControlMessage): Promise<void> {
    if (message.type === 'heal') {
      for (let i = this.#controls.length - 1; i >= 0; i--) {
        if (this.#controls[i]!.type === 'partition') this.#controls.splice(i, 1);
      }
    }
    this.#controls.push(message);
    this.trace?.control(message);
    await Promise.all([...this.#nodes.values()].map((node) => node.control(message)));
  }

  /** Stops every node (SIGTERM, then SIGKILL) and closes the connections and logs. */
  async stop(): Promise<void> {
    for (const id of this.#nodes.keys()) {
      this.#stopping.add(id);
      this.#dropClient(id);
    }
    await Promise.all([...this.#nodes.values()].map((node) => node.stop()));
    await Promise.all([...this.#nodes.values()].map((node) => node.closeLog()));
    const sink = this.trace;
    for (const id of this.#nodes.keys()) sink?.add(this.#pausedDeliveries.kill(id, sink.nowUs()));
    await sink?.close();
  }

  #onReport(report: NodeReport): void {
    if (report.type === 'trace') {
      this.#noteMessages(report.nodeId, report.messages);
      const paused = this.#pausedDeliveries;
      return this.trace?.addBatch(
        report,
        paused.active ? (events) => paused.admit(events) : undefined,
      );
    }
    if (report.type === 'warning') this.#options.onWarning?.(report.nodeId, report.message);
    if (report.type !== 'peer-up' && report.type !== 'peer-down') return;
    const peers = this.#peersUp.get(report.nodeId) ?? new Set<number>();
    this.#peersUp.set(report.nodeId, peers);
    if (report.type === 'peer-up') peers.add(report.peer);
    else peers.delete(report.peer);
    for (const waiter of [...this.#peerWaiters]) waiter();
  }

  #onExit(id: number): void {
    this.#peersUp.delete(id);
    this.#dropClient(id);
    if (!this.#stopping.has(id)) this.#options.onNodeExit?.(id);
    this.#stopping.delete(id);
  }

  #allPeersUp(): boolean {
    const running = [...this.#nodes.values()].filter(
      (node) => node.state === 'up' || node.state === 'paused',
    );
    return running.every((node) =>
      running.every(
        (other) => other.id === node.id || this.#peersUp.get(node.id)?.has(other.id) === true,
      ),
    );
  }

  #dropClient(id: number): void {
    const pending = this.#clients.get(id);
    this.#clients.delete(id);
    void pending?.then(
      (client) => client.close(),
      () => {},
    );
  }

  #node(id: number): NodeProcess {
    const node = this.#nodes.get(id);
    if (node === undefined) {
      throw new QuartetError(
        'BAD_COMMAND',
        `There is no node ${id}; the nodes are ${this.nodeIds.join(', ')}.`,
      );
    }
    return node;
  }

  #server(id: number): { host: string; port: number } {
    const server = this.config.servers.find((s) => s.id === id);
    if (server === undefined)
      throw new QuartetError(
        'BAD_COMMAND',
        `There is no node ${id}; the nodes are ${this.nodeIds.join(', ')}.`,
      );
    return server;
  }
}
