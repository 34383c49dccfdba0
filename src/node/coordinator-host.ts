import {
  ReadCoordination,
  WriteCoordination,
  type Coordination,
  type CoordinatorAction,
  type ReadRepairMode,
} from '../core/coordinator.js';
import { toErrorRecord, type ErrorRecord } from '../core/errors.js';
import type { OpResult, RepairEvent } from '../core/messages.js';
import type { Version } from '../core/version.js';
import type { Timestamp } from '../core/clock.js';

/** How the host reaches a replica, itself included. */
export interface ReplicaTransport {
  read(to: number, key: string): Promise<Version | undefined>;
  write(to: number, key: string, version: Version, kind: 'write' | 'repair'): Promise<WriteAck>;
  isReachable(to: number): boolean;
}

export interface WriteAck {
  created: boolean;
  applied: boolean;
  before?: Timestamp;
}

export interface OperationCallbacks {
  respond(result: OpResult): void;
  fail(error: ErrorRecord): void;
  repair(event: RepairEvent): void;
}

interface Deadline {
  atMs: number;
  coordination: Coordination;
  callbacks: OperationCallbacks;
}

const deadlineTickMs = 10;

/**
 * Runs coordinations for a real node: carries out their actions over the transport and feeds
 * back replies, failures and deadlines. One timer serves every deadline (they are FIFO).
 */
export class CoordinatorHost {
  readonly #transport: ReplicaTransport;
  readonly #requestTimeoutMs: number;
  readonly #deadlines: Deadline[] = [];
  #deadlineHead = 0;
  #timer: NodeJS.Timeout | undefined;
  #active = 0;
  #pendingRepairs = 0;

  readonly #onUnacknowledged: (key: string, version: Version, replicas: number[]) => void;

  constructor(
    transport: ReplicaTransport,
    requestTimeoutMs: number,
    onUnacknowledged: (key: string, version: Version, replicas: number[]) => void = () => {},
  ) {
    this.#transport = transport;
    this.#requestTimeoutMs = requestTimeoutMs;
    this.#onUnacknowledged = onUnacknowledged;
  }

  get activeCount(): number {
    return this.#active;
  }

  get pendingRepairs(): number {
    return this.#pendingRepairs;
  }

  read(
    params: Omit<ConstructorParameters<typeof ReadCoordination>[0], 'down'>,
    readRepair: ReadRepairMode,
    callbacks: OperationCallbacks,
  ): void {
    const coordination = new ReadCoordination(
      { ...params, down: this.#down(params.replicas) },
      readRepair,
    );
    this.#begin(coordination, callbacks);
  }

  write(
    params: Omit<ConstructorParameters<typeof WriteCoordination>[0], 'down'>,
    version: Version,
    callbacks: OperationCallbacks,
  ): void {
    const coordination = new WriteCoordination(
      { ...params, down: this.#down(params.replicas) },
      version,
    );
    this.#begin(coordination, callbacks);
  }

  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #down(replicas: readonly number[]): Set<number> {
    return new Set(replicas.filter((node) => !this.#transport.isReachable(node)));
  }

  #begin(coordination: Coordination, callbacks: OperationCallbacks): void {
    this.#active++;
    this.#schedule(coordination, callbacks);
    this.#perform(coordination, callbacks, coordination.start());
  }

  #schedule(coordination: Coordination, callbacks: OperationCallbacks): void {
    this.#deadlines.push({
      atMs: performance.now() + this.#requestTimeoutMs,
      coordination,
      callbacks,
    });
    this.#timer ??= setInterval(() => this.#expire(), deadlineTickMs);
  }

  #expire(): void {
    const nowMs = performance.now();
    while (this.#deadlineHead < this.#deadlines.length) {
      const deadline = this.#deadlines[this.#deadlineHead]!;
      if (deadline.atMs > nowMs) break;
      this.#deadlineHead++;
      if (!deadline.coordination.isFinished) {
        this.#perform(deadline.coordination, deadline.callbacks, deadline.coordination.onTimeout());
      }
    }
    if (this.#deadlineHead > 1024 && this.#deadlineHead * 2 > this.#deadlines.length) {
      this.#deadlines.splice(0, this.#deadlineHead);
      this.#deadlineHead = 0;
    }
    if (this.#active === 0 && this.#deadlineHead === this.#deadlines.length) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#deadlines.length = 0;
      this.#deadlineHead = 0;
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
          callbacks.fail(toErrorRecord(action.error));
          break;
        case 'repair-event':
          this.#pendingRepairs--;
          callbacks.repair(action.event);
          break;
        case 'rearm':
          this.#schedule(coordination, callbacks);
          break;
        case 'done':
          this.#active--;
          if (coordination instanceof WriteCoordination) {
            const missed = coordination.unacknowledged();
            if (missed.length > 0)
              this.#onUnacknowledged(coordination.params.key, coordination.version, missed);
          }
          break;
      }
    }
  }

  #sendRead(coordination: ReadCoordination, callbacks: OperationCallbacks, to: number): void {
    this.#transport.read(to, coordination.params.key).then(
      (version) => this.#perform(coordination, callbacks, coordination.onReadReply(to, version)),
      () => this.#perform(coordination, callbacks, coordination.onPeerDown(to)),
    );
  }

  #sendWrite(
    coordination: WriteCoordination,
    callbacks: OperationCallbacks,
    to: number,
    version: Version,
  ): void {
    this.#transport.write(to, coordination.params.key, version, 'write').then(
      (ack) => this.#perform(coordination, callbacks, coordination.onAck(to, ack.created)),
      () => this.#perform(coordination, callbacks, coordination.onPeerDown(to)),
    );
  }

  #sendRepair(
    coordination: ReadCoordination,
    callbacks: OperationCallbacks,
    to: number,
    version: Version,
  ): void {
    // Every repair ends in exactly one repair-event (confirmed, failed or timed out).
    this.#pendingRepairs++;
    this.#transport.write(to, coordination.params.key, version, 'repair').then(
      (ack) =>
        this.#perform(
          coordination,
          callbacks,
          coordination.onRepairAck(to, ack.applied, ack.before),
        ),
      (error: unknown) =>
        this.#perform(
          coordination,
          callbacks,
          coordination.onRepairFailed(to, toErrorRecord(error)),
        ),
    );
  }
}
