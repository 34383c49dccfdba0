import { QuartetClient } from '../client/client.js';
import { authenticateOperator, sendControl } from '../client/operator.js';
import type { ClusterConfig } from '../config/types.js';
import { QuartetError } from '../core/errors.js';
import { Ring } from '../core/ring.js';
import type { ControlMessage } from '../protocol/control.js';
import type { NodeInfo } from '../launcher/cluster.js';
import type { ClusterHandle } from '../launcher/cluster-handle.js';
import type { TraceSink } from '../launcher/trace-sink.js';
import type { Trace } from '../trace/trace-format.js';
import { AttachedTrace } from './attached-trace.js';

const connectTimeoutMs = 2000;

/** Why fault directives fail: `` `kill` needs the node processes that STARTER starts itself; ADVICE ``. */
export interface FaultRefusal {
  starter: 'quartet run' | 'quartet up';
  advice: string;
}

export const runAttachRefusal: FaultRefusal = {
  starter: 'quartet run',
  advice: 'with --attach the nodes belong to someone else. Run the file without --attach.',
};

/**
 * The nodes of a config that someone else started (`quartet node`), for `--attach` and a node's
 * own prompt: data commands and inspection work; faults need processes this orchestrator owns
 * (and links it can reach over IPC), so they fail with the refusal's reason.
 */
export class AttachedCluster implements ClusterHandle {
  readonly config: ClusterConfig;
  readonly ring: Ring;
  readonly #clients = new Map<number, Promise<QuartetClient>>();
  readonly #refusal: FaultRefusal;

  readonly #secret: string | undefined;
  readonly #operators = new Map<number, Promise<QuartetClient>>();
  readonly #trace: AttachedTrace | undefined;

  /**
   * With the cluster `secret`, faults that the nodes' delay model and clock apply (delay, loss,
   * partition, heal, skew) go to every node over an authenticated operator connection, and with
   * `traced` the nodes send their trace on it (`startTracing`).
   */
  constructor(
    config: ClusterConfig,
    refusal: FaultRefusal = runAttachRefusal,
    secret?: string,
    options: { traced?: boolean } = {},
  ) {
    this.config = config;
    this.#refusal = refusal;
    this.#secret = secret;
    this.#trace =
      options.traced === true && secret !== undefined
        ? new AttachedTrace(config, (id) => this.#operator(id, secret))
        : undefined;
    this.ring = new Ring(
      config.servers.map((server) => server.id),
      config.replicationFactor,
      config.virtualNodes,
    );
  }

  get nodeIds(): number[] {
    return this.config.servers.map((server) => server.id);
  }

  isNode(id: number): boolean {
    return this.config.servers.some((server) => server.id === id);
  }

  // The process is not ours: it counts as up, and a failed connection shows it unreachable.
  info(id: number): NodeInfo {
    const { host, port } = this.#server(id);
    return { id, host, port, pid: undefined, state: 'up' };
  }

  async client(id: number): Promise<QuartetClient> {
    const pending = this.#clients.get(id);
    if (pending !== undefined) {
      const client = await pending.catch(() => undefined);
      if (client !== undefined && !client.closed) return client;
    }
    const { host, port } = this.#server(id);
    const connecting = QuartetClient.connect({ host, port, connectTimeoutMs });
    this.#clients.set(id, connecting);
    return connecting;
  }

  /** The nodes that answer right now. */
  async reachableNodes(): Promise<number[]> {
    const answers = await Promise.all(
      this.nodeIds.map(async (id) => ((await this.client(id).catch(() => undefined)) ? id : 0)),
    );
    return answers.filter((id) => id !== 0);
  }

  /** The nodes that do not answer; fails when none does. */
  async findSilentNodes(configPath: string): Promise<number[]> {
    const reachable = await this.reachableNodes();
    if (reachable.length === 0) {
      throw new QuartetError(
        'NODE_UNREACHABLE',
        `None of the nodes of ${configPath} answered; start them with \`quartet node --config FILE --id N\`, or run without --attach.`,
      );
    }
    return this.nodeIds.filter((id) => !reachable.includes(id));
  }

  /** The nodes' trace (with `traced` and the secret): the live page listens to it. */
  get trace(): TraceSink | undefined {
    return this.#trace?.sink;
  }

  /** Asks every node for its trace; returns why some refused (another operator traces it). */
  startTracing(): Promise<string[]> {
    return this.#trace?.startAll() ?? Promise.resolve([]);
  }

  /** The latest trace events (`trace` at the prompt), once every node sent what it emitted. */
  recentTrace(): Promise<Trace> {
    if (this.#trace === undefined) {
      const why =
        this.#secret === undefined
          ? 'needs the cluster secret for an operator connection: set QUARTET_SECRET, give --secret-file FILE, or run from the directory whose .quartet/secret the nodes share'
          : 'is not traced here; use `quartet up --attach`, whose nodes send their trace to it';
      return Promise.reject(new QuartetError('BAD_COMMAND', `\`trace\` on these nodes ${why}.`));
    }
    return this.#trace.recent();
  }

  kill(): Promise<void> {
    return Promise.reject(this.#refuse('kill'));
  }

  restart(): Promise<void> {
    return Promise.reject(this.#refuse('restart'));
  }

  // Peers connect on their own; there is nothing this side can wait on.
  waitForPeers(): Promise<void> {
    return Promise.resolve();
  }

  pause(): void {
    throw this.#refuse('pause');
  }

  resume(): void {
    throw this.#refuse('resume');
  }

  async broadcast(message: ControlMessage): Promise<void> {
    const secret = this.#secret;
    if (secret !== undefined) {
      this.#trace?.sink.control(message);
      // Every node that answers applies it; one that does not is down, and learns nothing.
      const reached = await Promise.all(
        this.nodeIds.map(async (id) => {
          const operator = await this.#operator(id, secret).catch((error: unknown) => {
            if (error instanceof QuartetError && error.code === 'UNAUTHORIZED') throw error;
            return undefined;
          });
          if (operator === undefined) return false;
          await sendControl(operator, message);
          return true;
        }),
      );
      if (!reached.includes(true)) {
        throw new QuartetError('NODE_UNREACHABLE', 'No node answered; the fault was not applied.');
      }
      return;
    }
    const name =
      message.type === 'server-delay' || message.type === 'link-delay'
        ? 'delay'
        : message.type === 'link-loss'
          ? 'loss'
          : message.type === 'clock-skew'
            ? 'skew'
            : message.type;
    throw new QuartetError(
      'BAD_COMMAND',
      `\`${name}\` on nodes this command did not start goes over an operator connection, which needs the cluster secret: set QUARTET_SECRET, give --secret-file FILE, or run from the directory whose .quartet/secret the nodes share.`,
    );
  }

  // An operator connection to node `id`: its own, authenticated once, reopened when it closed.
  async #operator(id: number, secret: string): Promise<QuartetClient> {
    const pending = this.#operators.get(id);
    if (pending !== undefined) {
      const client = await pending.catch(() => undefined);
      if (client !== undefined && !client.closed) return client;
    }
    const { host, port } = this.#server(id);
    const connecting = QuartetClient.connect({ host, port, connectTimeoutMs }).then(
      async (client) => {
        await authenticateOperator(client, secret);
        return client;
      },
    );
    this.#operators.set(id, connecting);
    return connecting;
  }

  close(): void {
    for (const pending of [...this.#clients.values(), ...this.#operators.values()]) {
      void pending.then(
        (client) => client.close(),
        () => {},
      );
    }
    this.#clients.clear();
    this.#operators.clear();
    void this.#trace?.close();
  }

  #refuse(directive: string): QuartetError {
    const { starter, advice } = this.#refusal;
    return new QuartetError(
      'BAD_COMMAND',
      `\`${directive}\` needs the node processes that \`${starter}\` starts itself; ${advice}`,
    );
  }

  #server(id: number): { host: string; port: number } {
    const server = this.config.servers.find((s) => s.id === id);
    if (server === undefined) {
      throw new QuartetError(
        'BAD_COMMAND',
        `There is no node ${id}; the nodes are ${this.nodeIds.join(', ')}.`,
      );
    }
    return server;
  }
}
