import { compareTimestamps, formatTimestamp, type Timestamp } from '../core/clock.js';
import type { MessageRecord, TraceModel } from './trace-model.js';

/** What brought a version to a replica, and so what closed a window of disagreement. */
export type VersionSource = 'write' | 'read repair' | 'hint' | 'anti-entropy';

export interface VersionChange {
  node: number;
  t: number;
  ts: Timestamp;
  via: VersionSource;
}

export interface DisagreementWindow {
  fromT: number;
  /** Undefined: the replicas still disagreed at the end of the trace. */
  toT?: number;
  closedBy?: VersionSource;
}

export interface KeyVersions {
  key: string;
  replicas: number[];
  changes: VersionChange[];
  windows: DisagreementWindow[];
}

interface Arrival {
  node: number;
  t: number;
  ts: Timestamp;
  via: VersionSource;
}

/**
 * Each replica's version of each key over time, from the versions delivered to it (writes, read
 * repairs, replayed hints, anti-entropy streams) and those its coordinator applied itself without
 * a message (its own write's copy, a read repair of its own copy), and the windows in which the
 * replicas disagreed.
 */
export function trackKeyVersions(model: TraceModel): KeyVersions[] {
  const arrivals = new Map<string, Arrival[]>();
  const replicasOf = new Map<string, Set<number>>();
  const add = (key: string, arrival: Arrival | undefined, node: number): void => {
    let list = arrivals.get(key);
    if (list === undefined) {
      arrivals.set(key, (list = []));
      replicasOf.set(key, new Set());
    }
    replicasOf.get(key)!.add(node);
    if (arrival !== undefined) list.push(arrival);
  };
  for (const message of model.messages) {
    const ts = message.send.ts;
    const via = sourceOf(message);
    if (message.key === undefined || ts === undefined || via === undefined) continue;
    const delivered = message.outcome === 'delivered' && message.endT !== undefined;
    const arrival = delivered ? { node: message.to, t: message.endT!, ts, via } : undefined;
    add(message.key, arrival, message.to);
  }
  for (const op of model.operations.values()) {
    const { invoke, complete } = op;
    const own = complete?.replicas.find((replica) => replica.node === invoke.node);
    const answered = own !== undefined && own.state !== 'pending' && own.state !== 'down';
    const ts = op.messages.find((m) => m.kind === 'write' && m.send.ts !== undefined)?.send.ts;
    if (invoke.kind !== 'get' && answered && ts !== undefined)
      add(invoke.key, { node: invoke.node, t: invoke.t, ts, via: 'write' }, invoke.node);
    for (const repair of op.repairs)
      if (repair.applied && repair.to !== undefined)
        add(
          repair.key,
          { node: repair.node, t: repair.t, ts: repair.to, via: 'read repair' },
          repair.node,
        );
  }
  const result: KeyVersions[] = [];
  for (const [key, list] of arrivals) {
    const replicas = [...replicasOf.get(key)!].sort((a, b) => a - b);
    const held = new Map<number, Timestamp>();
    const changes: VersionChange[] = [];
    const windows: DisagreementWindow[] = [];
    let open: DisagreementWindow | undefined;
    for (const { node, t, ts, via } of list.sort((a, b) => a.t - b.t)) {
      const current = held.get(node);
      if (current !== undefined && compareTimestamps(current, ts) >= 0) continue;
      held.set(node, ts);
      changes.push({ node, t, ts, via });
      const agree = replicas.every((replica) => sameVersion(held.get(replica), ts));
      if (!agree && open === undefined) windows.push((open = { fromT: t }));
      if (agree && open !== undefined) {
        open.toT = t;
        open.closedBy = via;
        open = undefined;
      }
    }
    result.push({ key, replicas, changes, windows });
  }
  return result.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The version label shown in the report. */
export function labelVersion(ts: Timestamp): string {
  return formatTimestamp(ts);
}

function sourceOf(message: MessageRecord): VersionSource | undefined {
  if (message.kind === 'repair') return 'read repair';
  if (message.kind === 'write') return message.op === null ? 'hint' : 'write';
  if (message.kind === 'range' || message.kind === 'range-reply') return 'anti-entropy';
  return undefined;
}

function sameVersion(a: Timestamp | undefined, b: Timestamp): boolean {
  return a !== undefined && compareTimestamps(a, b) === 0;
}
