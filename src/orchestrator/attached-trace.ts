import type { QuartetClient } from '../client/client.js';
import { flushTrace, startTrace } from '../client/operator.js';
import type { ClusterConfig } from '../config/types.js';
import { QuartetError } from '../core/errors.js';
import { TraceSink } from '../launcher/trace-sink.js';
import { createTraceMeta, type Trace } from '../trace/trace-format.js';

/** How often the nodes that do not trace yet (down, or traced by another operator) are asked again. */
export const traceRetryIntervalMs = 1000;

/**
 * The trace of nodes someone else started (`quartet up --attach`): each node sends its batches
 * on this orchestrator's operator connection to it (src/node/operator-trace.ts) into one
 * TraceSink, as forked nodes do over IPC. A node that is down or traced by another operator is
 * asked again every traceRetryIntervalMs; a connection that closes ends its trace.
 * Times: the nodes count from the sink's origin on their own host clock, which is this one's
 * only when they run on this host.
 */
export class AttachedTrace {
  readonly sink: TraceSink;
  readonly #nodeIds: number[];
  readonly #operator: (id: number) => Promise<QuartetClient>;
  /** Per node, the operator connection it traces on. */
  readonly #traced = new Map<number, QuartetClient>();
  /** Connections whose batches already go to the sink. */
  readonly #listened = new WeakSet<QuartetClient>();
  /** Per node, why it does not trace, each said once (`startAll`'s answer). */
  readonly #refusals = new Map<number, string>();
  /** Per node, the start under way (the timer's and a `trace`'s may meet). */
  readonly #starting = new Map<number, Promise<string | undefined>>();
  readonly #timer: NodeJS.Timeout;

  constructor(config: ClusterConfig, operator: (id: number) => Promise<QuartetClient>) {
    this.#nodeIds = config.servers.map((server) => server.id);
    this.#operator = operator;
    const nodes = this.#nodeIds;
    const meta = { source: 'cluster' as const, nodes, replicationFactor: config.replicationFactor };
    this.sink = new TraceSink(undefined, createTraceMeta(meta));
    // A wrong secret was said when the prompt started (`startAll`); the timer has no one to tell.
    this.#timer = setInterval(() => void this.startAll().catch(() => {}), traceRetryIntervalMs);
    this.#timer.unref();
  }

  /** Starts the trace on every node not yet tracing; returns why some node refused, once each. */
  async startAll(): Promise<string[]> {
    const refused = await Promise.all(this.#nodeIds.map((id) => this.#startOnce(id)));
    return refused.filter((why): why is string => why !== undefined);
  }

  /** The latest events, once every traced node sent what it emitted so far. */
  async recent(): Promise<Trace> {
    await this.startAll();
    if (this.#traced.size === 0) {
      const why = [...this.#refusals.values()][0] ?? 'no node answers';
      throw new QuartetError('BAD_COMMAND', `No node sends its trace here: ${why}`);
    }
    await Promise.all(
      [...this.#traced.values()].map((client) =>
        flushTrace(client).catch((error: unknown) => {
          // A node that went down meanwhile sent what it could; the trace shows the rest.
          if (!(error instanceof QuartetError)) throw error;
        }),
      ),
    );
    return this.sink.recent();
  }

  close(): Promise<void> {
    clearInterval(this.#timer);
    return this.sink.close();
  }

  #startOnce(id: number): Promise<string | undefined> {
    const pending = this.#starting.get(id);
    if (pending !== undefined) return pending;
    const starting = this.#start(id).finally(() => this.#starting.delete(id));
    this.#starting.set(id, starting);
    return starting;
  }

  async #start(id: number): Promise<string | undefined> {
    const current = this.#traced.get(id);
    if (current !== undefined && !current.closed) return undefined;
    this.#traced.delete(id);
    let client: QuartetClient;
    try {
      client = await this.#operator(id);
    } catch (error) {
      // A node that does not answer is down: asked again later. A wrong secret is said.
      if (error instanceof QuartetError && error.code === 'UNAUTHORIZED') throw error;
      return undefined;
    }
    if (!this.#listened.has(client)) {
      this.#listened.add(client);
      client.onTrace((batch) => this.sink.addBatch(batch));
    }
    try {
      await startTrace(client, this.sink.originUs);
    } catch (error) {
      if (!(error instanceof QuartetError)) throw error;
      if (error.code === 'NODE_UNREACHABLE') return undefined;
      const said = this.#refusals.get(id) === error.message;
      this.#refusals.set(id, error.message);
      return said ? undefined : error.message;
    }
    this.#refusals.delete(id);
    this.#traced.set(id, client);
    return undefined;
  }
}
