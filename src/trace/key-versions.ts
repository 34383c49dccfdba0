import { compareTimestamps, formatTimestamp, type Timestamp } from '../core/clock.js';
import type { TraceModel, MessageRecord } from './trace-model.js';

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

/**
 * Each replica's version of each key over time, from the versions delivered to it (writes, read
 * repairs, replayed hints, anti-entropy streams), and the windows in which the replicas disagreed.
 */
export function trackKeyVersions(model: TraceModel): KeyVersions[] {
  const deliveries = new Map<string, { message: MessageRecord; ts: Timestamp }[]>();
  for (const message of model.messages) {
    const ts = message.send.ts;
    if (message.key === undefined || ts === undefined || sourceOf(message) === undefined) continue;
    let list = deliveries.get(message.key);
    if (list === undefined) deliveries.set(message.key, (list = []));
    list.push({ message, ts });
  }
  const result: KeyVersions[] = [];
  for (const [key, list] of deliveries) {
    const replicas = [...new Set(list.map(({ message }) => message.to))].sort((a, b) => a - b);
    const applied = list
      .filter(({ message }) => message.outcome === 'delivered' && message.endT !== undefined)
      .sort((a, b) => (a.message.endT ?? 0) - (b.message.endT ?? 0));
    const held = new Map<number, Timestamp>();
    const changes: VersionChange[] = [];
    const windows: DisagreementWindow[] = [];
    let open: DisagreementWindow | undefined;
    for (const { message, ts } of applied) {
      const current = held.get(message.to);
      if (current !== undefined && compareTimestamps(current, ts) >= 0) continue;
      const t = message.endT ?? 0;
      const via = sourceOf(message) ?? 'write';
      held.set(message.to, ts);
      changes.push({ node: message.to, t, ts, via });
      const agree = replicas.every((node) => sameVersion(held.get(node), ts));
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
