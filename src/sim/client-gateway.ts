import type { CompleteRecord, HistoryRecord, OpOutcome } from '../check/history.js';
import type { Timestamp } from '../core/clock.js';
import type { EventQueue } from '../core/event-queue.js';
import type { ErrorRecord } from '../core/errors.js';
import type { LevelName } from '../core/levels.js';
import type { DataOp, OpResult } from '../core/messages.js';
import type { DataRequest } from '../node/client-service.js';
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
  queue: EventQueue;
  nodes: ReadonlyMap<number, SimNode>;
  record: (record: HistoryRecord) => void;
}

/**
 * Where clients meet coordinators, as a node's client connection does: each operation goes to
 * the node's own ClientService, and is an `invoke` record, then exactly one `complete` record
 * (answer, error, or the node crashing).
 */
export class ClientGateway {
  readonly #context: ClientGatewayContext;
  /** Per node: its client operations without an answer, to fail them when it crashes. */
  readonly #open = new Map<number, Map<number, (error: ErrorRecord) => void>>();
  /** Per node: each client's connection to it (the unit of the in-flight limit). */
  readonly #sessions = new Map<number, Map<string, object>>();
  #nextOpId = 1;
  repairs = 0;

  constructor(context: ClientGatewayContext) {
    this.#context = context;
    for (const id of context.nodes.keys()) {
      this.#open.set(id, new Map());
      this.#sessions.set(id, new Map());
    }
  }

  submit(request: ClientRequest, done?: (record: CompleteRecord) => void): void {
    const { queue, nodes, record } = this.#context;
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
    let finished = false;
    let stamped: Timestamp | undefined;
    const open = this.#open.get(nodeId);
    const finish = (result: OpOutcome, opResult?: OpResult) => {
      if (finished) return;
      finished = true;
      open?.delete(id);
      // One literal in the invoke record's key order (the history's bytes), not a spread.
      const complete: CompleteRecord = {
        type: 'complete',
        time: queue.nowMs,
        id,
        client,
        node: nodeId,
        op,
        key,
        level,
        result,
      };
      const ts = opResult?.ts ?? stamped;
      if (ts !== undefined) complete.ts = ts;
      if (opResult !== undefined)
        complete.replicas = opResult.replicas.map(({ node, state, ts: replicaTs }) =>
          replicaTs === undefined ? { node, state } : { node, state, ts: replicaTs },
        );
      record(complete);
      done?.(complete);
    };
    const failWith = (error: ErrorRecord, opResult?: OpResult) =>
      finish({ ok: false, error: error.code, message: error.message }, opResult);
    const node = nodes.get(nodeId);
    if (node === undefined || !node.up || open === undefined) {
      failWith({ code: 'NODE_UNREACHABLE', message: `Node ${nodeId} is down.` });
      return;
    }
    open.set(id, failWith);
    const refused = node.services.clients.coordinate(
      dataRequest(id, request),
      this.#session(nodeId, client),
      {
        respond: (result) => finish({ ok: true, value: result.value, found: result.found }, result),
        fail: failWith,
        repair: () => this.repairs++,
      },
      (ts) => (stamped = ts),
      client,
    );
    if (refused !== undefined) failWith(refused);
  }

  /** The node crashed: its clients' connections break, their operations end unanswered. */
  failOpen(nodeId: number): void {
    this.#sessions.get(nodeId)?.clear();
    const open = this.#open.get(nodeId);
    if (open === undefined) return;
    const failures = [...open.values()];
    open.clear();
    const error = { code: 'NODE_UNREACHABLE' as const, message: `Node ${nodeId} crashed.` };
    for (const fail of failures) fail(error);
  }

  #session(nodeId: number, client: string): object {
    const sessions = this.#sessions.get(nodeId)!;
    let session = sessions.get(client);
    if (session === undefined) sessions.set(client, (session = {}));
    return session;
  }
}

function dataRequest(id: number, request: ClientRequest): DataRequest {
  const { key, level } = request;
  if (request.op === 'get') return { type: 'get', id, key, level };
  if (request.op === 'delete') return { type: 'delete', id, key, level };
  return { type: 'put', id, op: request.op, key, value: request.value ?? '', level };
}
