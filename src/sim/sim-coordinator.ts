import type { Coordination, CoordinatorAction, ReadCoordination } from '../core/coordinator.js';
import type { WriteCoordination } from '../core/coordinator.js';
import { QuartetError, toErrorRecord, type ErrorRecord } from '../core/errors.js';
import type { OpResult, RepairEvent } from '../core/messages.js';
import type { Version } from '../core/version.js';
import type { EventQueue } from './event-queue.js';
import type { SimNode, SimWriteAck } from './sim-node.js';
import type { VirtualNetwork } from './virtual-network.js';

export interface RunCallbacks {
  respond(result: OpResult): void;
  fail(error: ErrorRecord): void;
  repair?(event: RepairEvent): void;
}

interface Run {
  coordination: Coordination;
  node: SimNode;
  incarnation: number;
  callbacks: RunCallbacks;
}

interface PendingRequest {
  run: Run;
  to: number;
  kind: 'read' | 'write' | 'repair';
}

export interface SimCoordinatorContext {
  queue: EventQueue;
  network: VirtualNetwork;
  nodes: ReadonlyMap<number, SimNode>;
  requestTimeoutMs: number;
}

/**
 * Carries out a core coordination's actions over the virtual network, as CoordinatorHost does
 * over TCP: requests to replicas, their replies, broken connections, deadlines.
 */
export class SimCoordinator {
  readonly #context: SimCoordinatorContext;
  /** Per coordinating node: its requests to replicas that have no reply yet. */
  readonly #pending = new Map<number, Map<number, PendingRequest>>();
  #nextRequestId = 1;
  repairsSent = 0;

  constructor(context: SimCoordinatorContext) {
    this.#context = context;
  }

  begin(node: SimNode, coordination: Coordination, callbacks: RunCallbacks): void {
    const run = { coordination, node, incarnation: node.incarnation, callbacks };
    this.#armDeadline(run);
    this.#perform(run, coordination.start());
  }

  /** `node` saw its connection to `peer` break: its requests waiting on `peer` fail. */
  peerDown(node: SimNode, peer: number): void {
    const pending = this.#pending.get(node.id);
    if (pending === undefined) return;
    const failed: PendingRequest[] = [];
    for (const [id, request] of pending) {
      if (request.to !== peer) continue;
      pending.delete(id);
      failed.push(request);
    }
    for (const request of failed) if (this.#alive(request.run)) this.#fail(request);
  }

  /** The node crashed: what it was waiting for dies with it. */
  forget(node: SimNode): void {
    this.#pending.delete(node.id);
  }

  #alive(run: Run): boolean {
    return run.node.up && run.node.incarnation === run.incarnation;
  }

  #armDeadline(run: Run): void {
    this.#context.queue.after(this.#context.requestTimeoutMs * 1000, () => {
      if (this.#alive(run) && !run.coordination.isFinished)
        this.#perform(run, run.coordination.onTimeout());
    });
  }

  #perform(run: Run, actions: CoordinatorAction[]): void {
    for (const action of actions) {
      switch (action.type) {
        case 'read':
          this.#send(run, 'read', action.to);
          break;
        case 'write':
          this.#send(run, 'write', action.to, action.version);
          break;
        case 'repair':
          this.repairsSent++;
          this.#send(run, 'repair', action.to, action.version);
          break;
        case 'respond':
          run.callbacks.respond(action.result);
          break;
        case 'fail':
          run.callbacks.fail(toErrorRecord(action.error));
          break;
        case 'repair-event':
          run.callbacks.repair?.(action.event);
          break;
        case 'rearm':
          this.#armDeadline(run);
          break;
        case 'done':
          break;
      }
    }
  }

  #send(run: Run, kind: PendingRequest['kind'], to: number, version?: Version): void {
    const { queue, network, nodes } = this.#context;
    const request = { run, to, kind };
    const node = run.node;
    if (!node.isReachable(to)) {
      // As a real peer link rejects a request at once when its connection is down.
      queue.after(0, () => {
        if (this.#alive(run)) this.#fail(request);
      });
      return;
    }
    const id = this.#nextRequestId++;
    let pending = this.#pending.get(node.id);
    if (pending === undefined) this.#pending.set(node.id, (pending = new Map()));
    pending.set(id, request);
    const replica = nodes.get(to)!;
    const replicaIncarnation = replica.incarnation;
    const key = run.coordination.params.key;
    const replicaAlive = () => replica.up && replica.incarnation === replicaIncarnation;
    // A message waits out its delay in its sender's link scheduler: it dies with the sender.
    network.send(node.id, to, () => {
      if (!this.#alive(run) || !replicaAlive()) return;
      const answer = this.#answer(replica, kind, key, version, node.id);
      network.send(to, node.id, () => {
        if (!replicaAlive() || !this.#alive(run) || !pending.delete(id)) return;
        this.#perform(run, answer(run.coordination));
      });
    });
  }

  // What a replica does with a request, and how its reply feeds the coordination.
  #answer(
    replica: SimNode,
    kind: PendingRequest['kind'],
    key: string,
    version: Version | undefined,
    from: number,
  ): (coordination: Coordination) => CoordinatorAction[] {
    const to = replica.id;
    if (kind === 'read') {
      const held = replica.store.get(key);
      return (c) => (c as ReadCoordination).onReadReply(to, held);
    }
    let ack: SimWriteAck;
    try {
      ack = replica.applyWrite(key, version!, this.#context.queue.nowMs, from !== to);
    } catch (error) {
      // Refused as stamped too far ahead (CLOCK_SKEW), as a real replica answers an error.
      if (!(error instanceof QuartetError) || error.code !== 'CLOCK_SKEW') throw error;
      const refusal = toErrorRecord(error);
      if (kind === 'write') return (c) => c.onPeerDown(to, refusal);
      return (c) => (c as ReadCoordination).onRepairFailed(to, refusal);
    }
    if (kind === 'write') return (c) => (c as WriteCoordination).onAck(to, ack.created);
    return (c) => (c as ReadCoordination).onRepairAck(to, ack.applied, ack.before);
  }

  #fail(request: PendingRequest): void {
    const { run, to, kind } = request;
    if (kind === 'repair') {
      const error = {
        code: 'NODE_UNREACHABLE' as const,
        message: `Replica ${to} went down before confirming the repair.`,
      };
      this.#perform(run, (run.coordination as ReadCoordination).onRepairFailed(to, error));
    } else {
      this.#perform(run, run.coordination.onPeerDown(to));
    }
  }
}
