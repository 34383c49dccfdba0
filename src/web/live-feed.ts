import type { ClusterConfig } from '../config/types.js';
import { formatTimestamp, type Timestamp } from '../core/clock.js';
import { LinkTable } from '../core/links.js';
import type { Ring } from '../core/ring.js';
import type { FaultEvent, TraceEvent } from '../trace/trace-format.js';
import { fitRecord, fitTraceEvent } from './page-fit.js';
import type { SseClients } from './sse-clients.js';
import {
  webRecentRecordsMax,
  webStatusPollMs,
  webTraceBatchEventsMax,
  webTraceBatchMs,
} from './web-bounds.js';

/** A result record as the Session emitted it, with its row as the terminal prints it. */
export interface LiveRecord {
  record: object;
  text: string;
}

export interface KeyReplica {
  node: number;
  state: string;
  value?: string | null;
  ts?: Timestamp;
}

/** What the live page reads and drives; the orchestrator wires it to its Session and cluster. */
export interface LiveSource {
  config: ClusterConfig;
  ring: Ring;
  /** The nodes as `status` shows them. */
  readNodes(): Promise<unknown>;
  /** A key's replicas and what each holds, as `search KEY` shows them. */
  readKey(key: string): Promise<{ replicas: KeyReplica[] }>;
  /** Runs a prompt line as if typed at the terminal; resolves with its record. */
  runLine(source: string): Promise<object | undefined>;
  onRecord(listener: (record: LiveRecord) => void): () => void;
  /** The trace events as the orchestrator receives them; absent when attached. */
  onTrace?(listener: (events: readonly TraceEvent[]) => void): () => void;
}

/**
 * What the streams carry: a snapshot for each page that opens, then the result records, the
 * trace events (in batches of webTraceBatchMs), the nodes' states and the links' settings.
 */
export class LiveFeed {
  readonly #source: LiveSource;
  readonly #clients: SseClients;
  readonly #links: LinkTable;
  readonly #skewMs = new Map<number, number>();
  readonly #recent: LiveRecord[] = [];
  readonly #unsubscribe: (() => void)[] = [];
  #batch: TraceEvent[] = [];
  /** Trace events past webTraceBatchEventsMax in one batch: never sent, counted for the page. */
  #skippedEvents = 0;
  #nodes: unknown = null;
  #nodesJson = '';
  #polling = false;
  readonly #timers: NodeJS.Timeout[] = [];

  constructor(source: LiveSource, clients: SseClients) {
    this.#source = source;
    this.#clients = clients;
    this.#links = new LinkTable(source.config);
  }

  start(): void {
    this.#unsubscribe.push(this.#source.onRecord((record) => this.#onRecord(record)));
    const onTrace = this.#source.onTrace;
    if (onTrace !== undefined) this.#unsubscribe.push(onTrace((events) => this.#onTrace(events)));
    this.#timers.push(setInterval(() => this.#flushTrace(), webTraceBatchMs));
    this.#timers.push(setInterval(() => void this.refreshNodes(), webStatusPollMs));
    for (const timer of this.#timers) timer.unref();
  }

  stop(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    for (const timer of this.#timers) clearInterval(timer);
  }

  /** The first message of a stream: everything a page needs to draw the cluster now. */
  snapshot(): object {
    const { config, ring } = this.#source;
    return {
      nodes: config.servers.map((server) => ({
        id: server.id,
        address: `${server.host}:${server.port}`,
      })),
      replicationFactor: config.replicationFactor,
      defaultLevel: config.defaultLevel,
      traced: this.#source.onTrace !== undefined,
      tokens: ring.tokens(),
      links: this.#describeLinks(),
      status: this.#nodes,
      records: this.#recent,
    };
  }

  /** A key's place on the ring, its replica set, and its replicas' versions. */
  async describeKey(key: string): Promise<object> {
    const { ring } = this.#source;
    return {
      key,
      range: ring.tokenRangeFor(key),
      replicas: ring.replicasFor(key),
      versions: (await this.#source.readKey(key)).replicas.map((replica) => ({
        ...replica,
        ...(replica.ts === undefined ? {} : { label: formatTimestamp(replica.ts) }),
      })),
    };
  }

  /** Reads the nodes' states and sends them when they changed; each page gets its figures. */
  async refreshNodes(): Promise<void> {
    if (this.#clients.size === 0 || this.#polling) return;
    this.#polling = true;
    try {
      const nodes = await this.#source.readNodes();
      const json = JSON.stringify(nodes);
      this.#nodes = nodes;
      if (json !== this.#nodesJson) this.#clients.broadcast('nodes', nodes);
      this.#nodesJson = json;
    } finally {
      this.#polling = false;
    }
    this.#clients.sendStats();
  }

  #onRecord(full: LiveRecord): void {
    const record = fitRecord(full);
    this.#recent.push(record);
    if (this.#recent.length > webRecentRecordsMax) this.#recent.shift();
    this.#clients.broadcast('record', record);
    // A fault or a command changes what the nodes report: show it now, not at the next poll.
    void this.refreshNodes();
  }

  #onTrace(events: readonly TraceEvent[]): void {
    let linksChanged = false;
    for (const event of events) {
      if (event.type === 'fault') linksChanged = this.#applyFault(event) || linksChanged;
    }
    if (linksChanged) this.#clients.broadcast('links', this.#describeLinks());
    // Nobody watching: nothing to gather (a page that opens starts from its snapshot).
    if (this.#clients.size === 0) return;
    for (const event of events) {
      if (this.#batch.length < webTraceBatchEventsMax) this.#batch.push(fitTraceEvent(event));
      else this.#skippedEvents++;
    }
  }

  #flushTrace(): void {
    if (this.#batch.length === 0) return;
    const batch = this.#batch.sort((a, b) => a.t - b.t);
    this.#batch = [];
    this.#clients.broadcast('trace', { events: batch, skipped: this.#skippedEvents }, batch.length);
  }

  // The page's copy of the links follows the faults the trace records; true when one changed.
  #applyFault(event: FaultEvent): boolean {
    const links = this.#links;
    switch (event.fault) {
      case 'delay':
        if (event.to === undefined || event.delayMs === undefined) return false;
        if (event.from === undefined) links.setServerDelay(event.to, event.delayMs);
        else links.setLinkDelay(event.from, event.to, event.delayMs);
        return true;
      case 'loss':
        if (event.from === undefined || event.to === undefined) return false;
        links.setLinkLoss(event.from, event.to, event.lossRate ?? 0);
        return true;
      case 'partition':
        links.partition(event.groups ?? []);
        return true;
      case 'heal':
        links.heal();
        return true;
      case 'skew':
        if (event.node !== undefined) this.#skewMs.set(event.node, event.skewMs ?? 0);
        return true;
      default:
        return false;
    }
  }

  #describeLinks(): object {
    const ids = this.#source.config.servers.map((server) => server.id);
    const links = ids.flatMap((from) =>
      ids.filter((to) => to !== from).map((to) => ({ from, to, ...this.#links.get(from, to) })),
    );
    return { links, skewMs: Object.fromEntries(this.#skewMs) };
  }
}
