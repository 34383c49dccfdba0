import { compareTimestamps } from '../core/clock.js';
import type { Timestamp } from '../core/clock.js';
import { QuartetError } from '../core/errors.js';
import type { LevelName } from '../core/levels.js';
import type { DataOp } from '../core/messages.js';
import type {
  CompleteRecord,
  DumpRecord,
  FaultRecord,
  HistoryRecord,
  MetaRecord,
  ReplicaNote,
} from './history.js';

/** One operation of a history: its invocation joined with its completion. */
export interface Operation {
  id: number;
  client: string;
  node: number;
  op: DataOp;
  key: string;
  level: LevelName;
  isWrite: boolean;
  invokeMs: number;
  /** When the client got its answer; Infinity when it never did. */
  completeMs: number;
  ok: boolean;
  error?: string;
  /** Writes: the value written (null for a delete). Reads: the value read (null if not found). */
  value: string | null;
  found: boolean;
  ts?: Timestamp;
  replicas?: ReplicaNote[];
  /** Invoked after the history's last `quiet` record: the final reads of a quiet cluster. */
  final: boolean;
}

export interface ParsedHistory {
  meta: MetaRecord;
  operations: Operation[];
  byKey: Map<string, Operation[]>;
  faults: FaultRecord[];
  /** Time of the last `quiet` record, if any. */
  quietMs?: number;
  dumps: DumpRecord[];
  /** Dumps taken after the final heal, hints and anti-entropy, before the final reads. */
  repairedDumps: DumpRecord[];
}

/** What the checker assumes of a history without a meta record: a default `quartet up` cluster. */
export const defaultMeta: MetaRecord = {
  type: 'meta',
  format: 'quartet-history',
  version: 1,
  source: 'cluster',
  nodes: [],
  replicationFactor: 3,
  virtualNodes: 64,
  readRepair: 'background',
  durable: null,
  initiallyEmpty: false,
};

/** Joins invocations with completions; operations stay in invocation order. */
export function parseOperations(records: readonly HistoryRecord[]): ParsedHistory {
  let meta = defaultMeta;
  let quietMs: number | undefined;
  const operations: Operation[] = [];
  const open = new Map<number, Operation>();
  const faults: FaultRecord[] = [];
  const dumps: DumpRecord[] = [];
  const repairedDumps: DumpRecord[] = [];
  for (const record of records) {
    switch (record.type) {
      case 'meta':
        meta = record;
        break;
      case 'invoke': {
        if (open.has(record.id))
          throw new QuartetError('BAD_REQUEST', `Operation ${record.id} is invoked twice.`);
        const isWrite = record.op !== 'get';
        const operation: Operation = {
          id: record.id,
          client: record.client,
          node: record.node,
          op: record.op,
          key: record.key,
          level: record.level,
          isWrite,
          invokeMs: record.time,
          completeMs: Infinity,
          ok: false,
          error: 'OPEN',
          value: isWrite ? (record.value ?? null) : null,
          found: isWrite && record.value !== null && record.value !== undefined,
          final: quietMs !== undefined,
        };
        open.set(record.id, operation);
        operations.push(operation);
        break;
      }
      case 'complete':
        completeOperation(open, record);
        break;
      case 'fault':
        faults.push(record);
        break;
      case 'quiet':
        quietMs = record.time;
        for (const operation of operations) operation.final = false;
        break;
      case 'dump':
        if (record.phase === 'repaired') repairedDumps.push(record);
        else dumps.push(record);
        break;
    }
  }
  const byKey = new Map<string, Operation[]>();
  for (const operation of operations) {
    const list = byKey.get(operation.key);
    if (list === undefined) byKey.set(operation.key, [operation]);
    else list.push(operation);
  }
  if (meta.tombstoneGraceMs !== undefined)
    for (const ops of byKey.values()) readPurgedAsDeleted(ops, meta.tombstoneGraceMs);
  const parsed: ParsedHistory = { meta, operations, byKey, faults, dumps, repairedDumps };
  if (quietMs !== undefined) parsed.quietMs = quietMs;
  return parsed;
}

/**
 * Where tombstones are purged, a read that found nothing at all, a grace period after a delete
 * was invoked, read that delete's purged tombstone: it is given the newest such delete's
 * timestamp, so the checker judges it as having seen the delete, not the initial state.
 */
function readPurgedAsDeleted(ops: readonly Operation[], tombstoneGraceMs: number): void {
  for (const read of ops) {
    if (read.isWrite || !read.ok || read.found || read.ts !== undefined) continue;
    let purged: Operation | undefined;
    for (const op of ops) {
      if (!op.isWrite || op.value !== null || op.ts === undefined) continue;
      if (op.invokeMs + tombstoneGraceMs > read.completeMs) continue;
      if (purged === undefined || compareTimestamps(op.ts, purged.ts!) > 0) purged = op;
    }
    if (purged !== undefined) read.ts = purged.ts!;
  }
}

function completeOperation(open: Map<number, Operation>, record: CompleteRecord): void {
  const operation = open.get(record.id);
  if (operation === undefined)
    throw new QuartetError('BAD_REQUEST', `Operation ${record.id} completes without an invoke.`);
  if (operation.completeMs !== Infinity)
    throw new QuartetError('BAD_REQUEST', `Operation ${record.id} completes twice.`);
  operation.completeMs = record.time;
  operation.ok = record.result.ok;
  if (record.result.ok) {
    delete operation.error;
    operation.value = record.result.value;
    operation.found = record.result.found;
  } else {
    operation.error = record.result.error;
  }
  if (record.ts !== undefined) operation.ts = record.ts;
  if (record.replicas !== undefined) operation.replicas = record.replicas;
}
