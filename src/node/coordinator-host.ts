import type { Timestamp } from '../core/clock.js';
import {
  WriteCoordination,
  type ReadCoordination,
  type Coordination,
  type CoordinationParams,
  type CoordinatorAction,
  type ReadRepairMode,
} from '../core/coordinator.js';
import type { ErrorRecord } from '../core/errors.js';
import type { OpResult, RepairEvent } from '../core/messages.js';
import type { Version } from '../core/version.js';
import { coreCoordinations, type CoordinationFactory } from './coordinations.js';
import type { RuntimeClock, TimerHandle } from './runtime.js';

export interface WriteAck {
  created: boolean;
  applied: boolean;
  before?: Timestamp;
}

/** Called once with the replica's answer, or with why there will be none. */
export type ReplyCallback<T> = (error: ErrorRecord | undefined, answer?: T) => void;

/**
 * How the host reaches a replica, itself included. Callbacks, not promises: this is the path
 * every message of every operation takes.
 */
export interface ReplicaTransport {
  read(to: number, key: string, reply: ReplyCallback<Version | undefined>, opId?: number): void;
  write(
    to: number,
    key: string,
    version: Version,
    kind: 'write' | 'repair',
    reply: ReplyCallback<WriteAck>,
    opId?: number,
  ): void;
  isReachable(to: number): boolean;
}

export interface OperationCallbacks {
  respond(result: OpResult): void;
  /** `result` holds the replicas' answers so far: acks, and who was pending or down. */
  fail(error: ErrorRecord, result: OpResult): void;
  repair(event: RepairEvent): void;
  /** A replica answered a read with a value of `valueBytes` (0 for none or a tombstone). */
  readAnswered?(valueBytes: number): void;
  /** The coordination finished: nothing of it is held any more. */
  done?(): void;
}

interface Deadline {
  atMs: number;
  callbacks: OperationCallbacks;
}

const noneDown: ReadonlySet<number> = new Set();

/**
 * Runs a node's coordinations: carries out their actions over the transport and feeds
 * back replies, failures and deadlines. A finished coordination leaves nothing behind.
 */
export class CoordinatorHost {
  readonly #transport: ReplicaTransport;
  readonly #clock: RuntimeClock;
  readonly #requestTimeoutMs: number;
  readonly #onUnacknowledged: (key: string, version: Version, replicas: number[]) => void;
  readonly #coordinations: CoordinationFactory;
  /**
   * Deadlines in the order they were set. Every one is `requestTimeoutMs` after it was set, so
   * the first is always the next due: one timer serves them all.
   */
  readonly #deadlines = new Map<Coordination, Deadline>();
  #timer: TimerHandle | undefined;
  #pendingRepairs = 0;

  constructor(
    transport: ReplicaTransport,
    clock: RuntimeClock,
    requestTimeoutMs: number,
    onUnacknowledged: (key: string, version: Version, replicas: number[]) => void = () => {},
    coordinations: CoordinationFactory = coreCoordinations,
  ) {
    this.#coordinations = coordinations;
    this.#transport = transport;
    this.#clock = clock;
    this.#requestTimeoutMs = requestTimeoutMs;
    this.#onUnacknowledged = onUnacknowledged;
  }

  /** Coordinations not finished (answers or repairs still to come). */
  get activeCount(): number {
    return this.#deadlines.size;
  }

  get pendingRepairs(): number {
    return this.#pendingRepairs;
  }

  read(
    params: CoordinationParams,
    readRepair: ReadRepairMode,
    callbacks: OperationCallbacks,
  ): void {
    this.#begin(this.#coordinations.read(params, readRepair), callbacks);
  }

  write(params: CoordinationParams, version: Version, callbacks: OperationCallbacks): void {
    this.#begin(this.#coordinations.write(params, version), callbacks);
  }

  close(): void {
    this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#deadlines.clear();
  }

  /** The replicas this node cannot reach now (usually none: then a shared empty set). */
  unreachable(replicas: readonly number[]): ReadonlySet<number> {
    let down: Set<number> | undefined;
    for (const node of replicas) {
      if (this.#transport.isReachable(node)) continue;
      down ??= new Set();
      down.add(node);
    }
    return down ?? noneDown;
  }

  #begin(coordination: Coordination, callbacks: OperationCallbacks): void {
    this.#arm(coordination, callbacks);
    this.#perform(coordination, callbacks, coordination.start());
  }

  #arm(coordination: Coordination, callbacks: OperationCallbacks): void {
    this.#deadlines.delete(coordination);
    this.#deadlines.set(coordination, {
      atMs: this.#clock.nowMs() + this.#requestTimeoutMs,
      callbacks,
    });
    this.#timer ??= this.#clock.setTimer(this.#requestTimeoutMs, this.#expire);
  }

  readonly #expire = (): void => {
    this.#timer = undefined;
    const nowMs = this.#clock.nowMs();
    for (const [coordination, deadline] of this.#deadlines) {
      // Timers may fire up to a millisecond early.
      if (deadline.atMs > nowMs + 1) {
        this.#clock.clearTimer(this.#timer); // one a coordination re-armed in this loop may have set
        this.#timer = this.#clock.setTimer(deadline.atMs - nowMs, this.#expire);
        return;
      }
      this.#deadlines.delete(coordination);
      if (!coordination.isFinished)
        this.#perform(coordination, deadline.callbacks, coordination.onTimeout());
    }
  };

  #finish(coordination: Coordination, callbacks: OperationCallbacks): void {
    this.#deadlines.delete(coordination);
    callbacks.done?.();
    if (coordination instanceof WriteCoordination) {
      const missed = coordination.unacknowledged();
      if (missed.length > 0)
        this.#onUnacknowledged(coordination.params.key, coordination.version, missed);
    }
  }

  #perform(
    coordination: Coordination,
    callbacks: OperationCallbacks,
    actions: CoordinatorAction[],
  ): void {
    for (const action of actions) {
      switch (action.type) {
        case 'read':
          this.#sendRead(coordination as ReadCoordination, callbacks, action.to);
          break;
        case 'write':
          this.#sendWrite(coordination as WriteCoordination, callbacks, action.to, action.version);
          break;
        case 'repair':
          this.#sendRepair(coordination as ReadCoordination, callbacks, action.to, action.version);
          break;
        case 'respond':
          callbacks.respond(action.result);
          break;
        case 'fail':
          callbacks.fail(action.error, action.result);
          break;
        case 'repair-event':
          this.#pendingRepairs--;
          callbacks.repair(action.event);
          break;
        case 'rearm':
          this.#arm(coordination, callbacks);
          break;
        case 'done':
          this.#finish(coordination, callbacks);
          break;
      }
    }
  }

  #sendRead(coordination: ReadCoordination, callbacks: OperationCallbacks, to: number): void {
    this.#transport.read(
      to,
      coordination.params.key,
      (error, version) => {
        if (error === undefined && !coordination.isFinished)
          callbacks.readAnswered?.(version?.value?.length ?? 0);
        const next =
          error === undefined ? coordination.onReadReply(to, version) : coordination.onPeerDown(to);
        this.#perform(coordination, callbacks, next);
      },
      coordination.params.opId,
    );
  }

  #sendWrite(
    coordination: WriteCoordination,
    callbacks: OperationCallbacks,
    to: number,
    version: Version,
  ): void {
    this.#transport.write(
      to,
      coordination.params.key,
      version,
      'write',
      (error, ack) => {
        const next =
          error === undefined
            ? coordination.onAck(to, ack!.created)
            : coordination.onPeerDown(to, error.code === 'CLOCK_SKEW' ? error : undefined);
        this.#perform(coordination, callbacks, next);
      },
      coordination.params.opId,
    );
  }

  // Every repair ends in exactly one repair-event (confirmed, failed or timed out).
  #sendRepair(
    coordination: ReadCoordination,
    callbacks: OperationCallbacks,
    to: number,
    version: Version,
  ): void {
    this.#pendingRepairs++;
    this.#transport.write(
      to,
      coordination.params.key,
      version,
      'repair',
      (error, ack) => {
        const next =
          error === undefined
            ? coordination.onRepairAck(to, ack!.applied, ack!.before)
            : coordination.onRepairFailed(to, error);
        this.#perform(coordination, callbacks, next);
      },
      coordination.params.opId,
    );
  }
}
