import type { ClusterConfig } from '../config/types.js';
import type { Timestamp } from '../core/clock.js';
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
import { inflightBytesMax, inflightPerConnectionMax, unsizedReadsMax } from '../protocol/limits.js';
import type { DataRequest } from '../protocol/request-wire.js';
import { encodeFailure, encodeResult } from '../protocol/result-wire.js';
import type { CoordinatorHost, OperationCallbacks } from './coordinator-host.js';
import { CountedOperation } from './counted-operation.js';
import { DispatchBudget } from './dispatch-budget.js';
import type { Logger } from './logger.js';
import type { NodeClock } from './node-clock.js';
import type { ClientConnection } from './server.js';
import type { Store } from './storage/store.js';
import { TracedOperation } from './traced-operation.js';
import { traceInvoke, type Tracer } from './tracer.js';

export type { DataRequest };

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
  tracer: Tracer;
}

/** This node as a coordinator: answers the requests of clients. */
export class ClientService {
  /** What the operations in flight hold, node-wide; the server dispatches while it admits. */
  readonly budget = new DispatchBudget(inflightBytesMax, unsizedReadsMax);
  readonly #options: ClientServiceOptions;
  /** Requests in flight per client session (a connection), bounded by inflightPerConnectionMax. */
  readonly #inflight = new WeakMap<object, number>();

  constructor(options: ClientServiceOptions) {
    this.#options = options;
  }

  /** Whether a session has as many requests in flight as it may: a server holds the next back. */
  isSessionFull(session: object): boolean {
    return (this.#inflight.get(session) ?? 0) >= inflightPerConnectionMax;
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
    const operation = new ClientOperation(id, connection, this.#options.logger);
    const failure = this.coordinate(request, connection, operation);
    if (failure !== undefined) connection.send({ type: 'error', id, error: failure });
  }

  /**
   * Coordinates one data request of a client `session` (its connection: the unit of the
   * in-flight limit); `callbacks` get the answer; `onStamp` the timestamp a write was given;
   * `client` names the client in the trace. Returns the error when it is refused at once.
   */
  coordinate(
    request: DataRequest,
    session: object,
    callbacks: OperationCallbacks,
    onStamp?: (ts: Timestamp) => void,
    client = 'client',
  ): ErrorRecord | undefined {
    const { config, host, ring, clock, nodeId, tracer } = this.#options;
    try {
      const inflight = this.#inflight.get(session) ?? 0;
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
        // In the literal, traced or not: set later, it would take a property array per operation.
        opId: undefined,
      };
      if (tracer.enabled) {
        // The prompt names its operations by the history's ids; other clients' the node numbers.
        const opId = request.traceOp ?? tracer.operationId(request.id);
        params.opId = opId;
        const value =
          request.type === 'get' ? undefined : request.type === 'put' ? request.value : null;
        traceInvoke(tracer, opId, client, nodeId, params.op, request.key, level, value);
        callbacks = new TracedOperation(callbacks, tracer, opId);
      }
      this.#inflight.set(session, inflight + 1);
      // Sizes in characters, the memory of a one-byte string: a read is sized by its answers.
      const isRead = request.type === 'get';
      const keyBytes = request.key.length;
      const hold = this.budget.hold(
        request.type === 'put' ? keyBytes + request.value.length : keyBytes,
        isRead,
      );
      const counted = new CountedOperation(
        callbacks,
        () => this.#inflight.set(session, (this.#inflight.get(session) ?? 1) - 1),
        hold,
        keyBytes,
        isRead ? replicas.length - params.down.size : 0,
      );
      if (request.type === 'get') {
        host.read(params, config.readRepair, counted);
      } else {
        const value = request.type === 'put' ? request.value : null;
        const version: Version = { value, ts: clock.stamp() };
        onStamp?.(version.ts);
        host.write(params, version, counted);
      }
      return undefined;
    } catch (error) {
      return toErrorRecord(error);
    }
  }
}

/** One client request being coordinated: answers it once, and forwards its read repairs. */
class ClientOperation implements OperationCallbacks {
  readonly #id: number;
  readonly #connection: ClientConnection;
  readonly #logger: Logger;

  constructor(id: number, connection: ClientConnection, logger: Logger) {
    this.#id = id;
    this.#connection = connection;
    this.#logger = logger;
  }

  respond(result: OpResult): void {
    this.#connection.send(encodeResult(this.#id, result));
  }

  fail(error: ErrorRecord, result: OpResult): void {
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
}
