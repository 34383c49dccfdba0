import type {
  DropReason,
  MessageKind,
  MsgSendEvent,
  OpCompleteEvent,
  OpInvokeEvent,
  RepairEvent,
  Trace,
  TraceEvent,
  TraceMeta,
} from './trace-format.js';

/** A message joined with its fate: delivered, dropped (and why), or still on the wire. */
export interface MessageRecord {
  msg: number;
  kind: MessageKind;
  from: number;
  to: number;
  op: number | null;
  key?: string;
  send: MsgSendEvent;
  sentT: number;
  delayMs: number;
  outcome: 'delivered' | 'dropped' | 'in-flight';
  endT?: number;
  why?: DropReason;
}

export interface OperationRecord {
  invoke: OpInvokeEvent;
  complete?: OpCompleteEvent;
  levelMetT?: number;
  messages: MessageRecord[];
  repairs: RepairEvent[];
}

/** A stretch of time on one node's lane: down (killed), paused, or cut off by a partition. */
export interface LaneBand {
  node: number;
  kind: 'down' | 'paused' | 'partitioned';
  fromT: number;
  /** Undefined while still open at the end of the trace. */
  toT?: number;
  label: string;
}

export interface TraceModel {
  meta: TraceMeta;
  events: TraceEvent[];
  endT: number;
  messages: MessageRecord[];
  operations: Map<number, OperationRecord>;
  bands: LaneBand[];
  eventsDropped: number;
}

/** Joins a trace's events into messages, operations and lane bands (pure). */
export function buildTraceModel(trace: Trace): TraceModel {
  const messages: MessageRecord[] = [];
  const byId = new Map<number, MessageRecord>();
  const operations = new Map<number, OperationRecord>();
  const bands = new BandTracker();
  let eventsDropped = 0;
  let endT = 0;
  for (const event of trace.events) {
    endT = Math.max(endT, event.t);
    switch (event.type) {
      case 'msg-send': {
        const record: MessageRecord = {
          msg: event.msg,
          kind: event.kind,
          from: event.from,
          to: event.to,
          op: event.op,
          ...(event.key === undefined ? {} : { key: event.key }),
          send: event,
          sentT: event.t,
          delayMs: event.delayMs,
          outcome: 'in-flight',
        };
        messages.push(record);
        byId.set(event.msg, record);
        if (event.op !== null) operations.get(event.op)?.messages.push(record);
        break;
      }
      case 'msg-deliver':
      case 'msg-drop': {
        const record = byId.get(event.msg);
        if (record === undefined || record.outcome !== 'in-flight') break;
        record.endT = event.t;
        record.outcome = event.type === 'msg-deliver' ? 'delivered' : 'dropped';
        if (event.type === 'msg-drop') record.why = event.why;
        break;
      }
      case 'op-invoke':
        operations.set(event.op, { invoke: event, messages: [], repairs: [] });
        break;
      case 'op-complete': {
        const op = operations.get(event.op);
        if (op !== undefined) op.complete = event;
        break;
      }
      case 'level-met': {
        const op = operations.get(event.op);
        if (op !== undefined && op.levelMetT === undefined) op.levelMetT = event.t;
        break;
      }
      case 'repair':
        operations.get(event.op)?.repairs.push(event);
        break;
      case 'fault':
        bands.observe(event, trace.meta.nodes);
        break;
      case 'events-dropped':
        eventsDropped += event.count;
        break;
      default:
        break;
    }
  }
  return {
    meta: trace.meta,
    events: trace.events,
    endT,
    messages,
    operations,
    bands: bands.bands,
    eventsDropped,
  };
}

/** Opens a band at kill, pause or partition and closes it at restart, resume or heal. */
class BandTracker {
  readonly bands: LaneBand[] = [];
  readonly #open = new Map<string, LaneBand>();

  observe(event: Extract<TraceEvent, { type: 'fault' }>, nodes: readonly number[]): void {
    const node = event.node;
    if (event.fault === 'kill' && node !== undefined) this.#start(node, 'down', event.t, 'killed');
    else if (event.fault === 'pause' && node !== undefined)
      this.#start(node, 'paused', event.t, 'paused');
    else if (event.fault === 'restart' && node !== undefined) this.#end(node, 'down', event.t);
    else if (event.fault === 'resume' && node !== undefined) this.#end(node, 'paused', event.t);
    else if (event.fault === 'partition') {
      for (const member of nodes) this.#end(member, 'partitioned', event.t);
      const label = (event.groups ?? []).map((group) => group.join(',')).join(' | ');
      const grouped = new Set((event.groups ?? []).flat());
      for (const member of nodes)
        if (grouped.has(member) || event.groups === undefined)
          this.#start(member, 'partitioned', event.t, `partition ${label}`);
    } else if (event.fault === 'heal')
      for (const member of nodes) this.#end(member, 'partitioned', event.t);
  }

  #start(node: number, kind: LaneBand['kind'], t: number, label: string): void {
    if (this.#open.has(`${kind}:${node}`)) return;
    const band: LaneBand = { node, kind, fromT: t, label };
    this.bands.push(band);
    this.#open.set(`${kind}:${node}`, band);
  }

  #end(node: number, kind: LaneBand['kind'], t: number): void {
    const band = this.#open.get(`${kind}:${node}`);
    if (band === undefined) return;
    band.toT = t;
    this.#open.delete(`${kind}:${node}`);
  }
}

/** The last data operation, or the last one on `key`. */
export function findLastOperation(model: TraceModel, key?: string): OperationRecord | undefined {
  let last: OperationRecord | undefined;
  for (const op of model.operations.values())
    if (key === undefined || op.invoke.key === key) last = op;
  return last;
}
