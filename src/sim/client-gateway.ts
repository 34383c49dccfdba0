import type { CompleteRecord, HistoryRecord, OpOutcome } from '../check/history.js';
import type { ClusterConfig } from '../config/types.js';
import { toErrorRecord, type ErrorRecord } from '../core/errors.js';
import { requiredAnswers, type LevelName } from '../core/levels.js';
import type { DataOp, OpResult } from '../core/messages.js';
import type { Ring } from '../core/ring.js';
import type { Version } from '../core/version.js';
import type { CoordinationFactory } from './coordination-factory.js';
import type { EventQueue } from './event-queue.js';
import type { SimCoordinator } from './sim-coordinator.js';
import type { SimNode } from './sim-node.js';

export interface ClientRequest {
  client: string;
  node: number;
  op: DataOp;
  key: string;
  value?: string | null;
  level: LevelName;
}

export interface ClientGatewayContext {
  config: ClusterConfig;
  queue: EventQueue;
  nodes: ReadonlyMap<number, SimNode>;
  ring: Ring;
  coordinator: SimCoordinator;
  factory: CoordinationFactory;
  record: (record: HistoryRecord) => void;
}

/**
 * Where clients meet coordinators, as a node's client connection does: each operation is an
 * `invoke` record, then exactly one `complete` record (answer, error, or the node crashing).
 */
export class ClientGateway {
  readonly #context: ClientGatewayContext;
  /** Per node: its client operations without an answer, to fail them when it crashes. */
  readonly #open = new Map<number, Map<number, (error: ErrorRecord) => void>>();
  #nextOpId = 1;

  constructor(context: ClientGatewayContext) {
    this.#context = context;
    for (const id of context.nodes.keys()) this.#open.set(id, new Map());
  }

  submit(request: ClientRequest, done?: (record: CompleteRecord) => void): void {
    const { queue, nodes, ring, config, coordinator, factory, record } = this.#context;
    const id = this.#nextOpId++;
    const { client, node: nodeId, op, key, level } = request;
    const invoke = {
      type: 'invoke' as const,
      time: queue.nowMs,
      id,
      client,
      node: nodeId,
      op,
      key,
    };
    record(
      op === 'get' ? { ...invoke, level } : { ...invoke, value: request.value ?? null, level },
    );
    let version: Version | undefined;
    let finished = false;
    const open = this.#open.get(nodeId);
    const finish = (result: OpOutcome, opResult?: OpResult) => {
      if (finished) return;
      finished = true;
      open?.delete(id);
      const complete: CompleteRecord = {
        ...invoke,
        type: 'complete',
        time: queue.nowMs,
        level,
        result,
      };
      const ts = opResult?.ts ?? version?.ts;
      if (ts !== undefined) complete.ts = ts;
      if (opResult !== undefined)
        complete.replicas = opResult.replicas.map(({ node, state, ts: replicaTs }) =>
          replicaTs === undefined ? { node, state } : { node, state, ts: replicaTs },
        );
      record(complete);
      done?.(complete);
    };
    const failWith = (error: ErrorRecord) =>
      finish({ ok: false, error: error.code, message: error.message });
    const node = nodes.get(nodeId);
    if (node === undefined || !node.up || open === undefined) {
      failWith({ code: 'NODE_UNREACHABLE', message: `Node ${nodeId} is down.` });
      return;
    }
    let required: number;
    try {
      required = requiredAnswers(level, config.replicationFactor);
    } catch (error) {
      failWith(toErrorRecord(error));
      return;
    }
    open.set(id, failWith);
    const replicas = ring.replicasFor(key);
    const down = new Set(replicas.filter((replica) => !node.isReachable(replica)));
    const params = { op, key, level, coordinator: nodeId, replicas, required, down };
    const callbacks = {
      respond: (result: OpResult) =>
        finish({ ok: true, value: result.value, found: result.found }, result),
      fail: failWith,
    };
    if (op === 'get') {
      coordinator.begin(node, factory.read(params, config.readRepair), callbacks);
    } else {
      const value = op === 'delete' ? null : (request.value ?? '');
      version = { value, ts: node.clock.stamp(node.wallMs(queue.nowMs)) };
      coordinator.begin(node, factory.write(params, version), callbacks);
    }
  }

  /** The node crashed: its clients' connections break, their operations end unanswered. */
  failOpen(nodeId: number): void {
    const open = this.#open.get(nodeId);
    if (open === undefined) return;
    const failures = [...open.values()];
    open.clear();
    const error = { code: 'NODE_UNREACHABLE' as const, message: `Node ${nodeId} crashed.` };
    for (const fail of failures) fail(error);
  }
}
