import type { ClusterConfig } from '../config/types.js';
import type { CoordinationParams } from '../core/coordinator.js';
import { QuartetError, toErrorRecord, type ErrorRecord } from '../core/errors.js';
import { requiredAnswers, type LevelName } from '../core/levels.js';
import type {
  AntiEntropyReport,
  ServiceRequest,
  NodeStats,
  OpResult,
  RepairEvent,
} from '../core/messages.js';
import type { Ring } from '../core/ring.js';
import type { Version } from '../core/version.js';
import { inflightPerConnectionMax } from '../protocol/limits.js';
import { encodeFailure, encodeResult } from '../protocol/result-wire.js';
import type { CoordinatorHost, OperationCallbacks } from './coordinator-host.js';
import type { Logger } from './logger.js';
import type { NodeClock } from './node-clock.js';
import type { ClientConnection } from './server.js';
import type { Store } from './storage/store.js';

type DataRequest = Extract<ServiceRequest, { type: 'get' | 'put' | 'delete' }>;

export interface ClientServiceOptions {
  nodeId: number;
  config: ClusterConfig;
  ring: Ring;
  clock: NodeClock;
  store: Store;
  host: CoordinatorHost;
  logger: Logger;
  stats: () => NodeStats;
  antiEntropy: (peers: number[] | undefined) => Promise<AntiEntropyReport[]>;
}

/** This node as a coordinator: answers the requests of clients. */
export class ClientService {
  readonly #options: ClientServiceOptions;
  readonly #inflight = new WeakMap<ClientConnection, number>();

  constructor(options: ClientServiceOptions) {
    this.#options = options;
  }

  handle(request: ServiceRequest, connection: ClientConnection): void {
    const { id } = request;
    switch (request.type) {
      case 'stats':
        connection.send({ type: 'stats-result', id, stats: this.#options.stats() });
        return;
      case 'dump': {
        const entries = [...this.#options.store.entries()]
          .map(([key, version]) => ({ key, version }))
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        connection.send({ type: 'dump-result', id, entries });
        return;
      }
      case 'local': {
        const version = this.#options.store.get(request.key);
        connection.send(
          version === undefined
            ? { type: 'local-result', id }
            : { type: 'local-result', id, version },
        );
        return;
      }
      case 'anti-entropy':
        this.#options.antiEntropy(request.peers).then(
          (reports) => connection.send({ type: 'anti-entropy-result', id, reports }),
          (error: unknown) => connection.send({ type: 'error', id, error: toErrorRecord(error) }),
        );
        return;
      default:
        this.#coordinate(request, connection);
    }
  }

  #coordinate(request: DataRequest, connection: ClientConnection): void {
    const { id } = request;
    const { config, host, ring, clock, nodeId } = this.#options;
    try {
      const inflight = this.#inflight.get(connection) ?? 0;
      if (inflight >= inflightPerConnectionMax) {
        throw new QuartetError(
          'OVERLOADED',
          `Over ${inflightPerConnectionMax} requests in flight on one connection; wait for answers before sending more.`,
        );
      }
      const level: LevelName = request.level ?? config.defaultLevel;
      const replicas = ring.replicasFor(request.key);
      const params: CoordinationParams = {
        op: request.type === 'put' ? request.op : request.type,
        key: request.key,
        level,
        coordinator: nodeId,
        replicas,
        required: requiredAnswers(level, config.replicationFactor),
        down: host.unreachable(replicas),
      };
      this.#inflight.set(connection, inflight + 1);
      const callbacks = new ClientOperation(id, connection, this.#inflight, this.#options.logger);
      if (request.type === 'get') {
        host.read(params, config.readRepair, callbacks);
      } else {
        const value = request.type === 'put' ? request.value : null;
        const version: Version = { value, ts: clock.stamp() };
        host.write(params, version, callbacks);
      }
    } catch (error) {
      connection.send({ type: 'error', id, error: toErrorRecord(error) });
    }
  }
}

/** One client request being coordinated: answers it once, and forwards its read repairs. */
class ClientOperation implements OperationCallbacks {
  readonly #id: number;
  readonly #connection: ClientConnection;
  readonly #inflight: WeakMap<ClientConnection, number>;
  readonly #logger: Logger;
  #answered = false;

  constructor(
    id: number,
    connection: ClientConnection,
    inflight: WeakMap<ClientConnection, number>,
    logger: Logger,
  ) {
    this.#id = id;
    this.#connection = connection;
    this.#inflight = inflight;
    this.#logger = logger;
  }

  respond(result: OpResult): void {
    this.#finish();
    this.#connection.send(encodeResult(this.#id, result));
  }

  fail(error: ErrorRecord, result: OpResult): void {
    this.#finish();
    this.#connection.send(encodeFailure(this.#id, result, error));
  }

  repair(event: RepairEvent): void {
    if (this.#logger.debugEnabled) {
      const outcome = event.applied ? 'applied' : (event.error?.message ?? 'not needed');
      this.#logger.debug(
        `read repair of ${JSON.stringify(event.key)} on node ${event.node}: ${outcome}`,
      );
    }
    if (this.#connection.open) this.#connection.send({ type: 'repair-event', id: this.#id, event });
  }

  #finish(): void {
    if (!this.#answered) {
      const connection = this.#connection;
      this.#inflight.set(connection, (this.#inflight.get(connection) ?? 1) - 1);
    }
    this.#answered = true;
  }
}
