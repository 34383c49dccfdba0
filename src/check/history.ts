import { createWriteStream, type WriteStream } from 'node:fs';
import type { Timestamp } from '../core/clock.js';
import type { ErrorCode } from '../core/errors.js';
import type { LevelName } from '../core/levels.js';
import type { DataOp, ReplicaState } from '../core/messages.js';

/*
 * The history format (docs/simulation.md): JSON lines, one record per line, in time order.
 * The simulator writes it, the checker reads it, and a real cluster can write it too.
 */

export const historyFormat = 'quartet-history';
export const historyFormatVersion = 1;

/** The first line: what produced the history and what the checker needs to judge it. */
export interface MetaRecord {
  type: 'meta';
  format: typeof historyFormat;
  version: typeof historyFormatVersion;
  source: 'sim' | 'cluster';
  nodes: number[];
  replicationFactor: number;
  /** With `nodes`, lets the checker compute each key's replica set (the same ring as the nodes). */
  virtualNodes: number;
  readRepair: 'background' | 'blocking' | 'off';
  /** True when a crash keeps a node's data, false when it loses it, null when unknown. */
  durable: boolean | null;
  /** True when the cluster started with no data, so every version read must come from a write here. */
  initiallyEmpty: boolean;
  /** Tombstones older than this may be purged: a read may then find nothing after a delete. */
  tombstoneGraceMs?: number;
  seed?: number;
  /** A command that reproduces this history (simulator runs). */
  replay?: string;
}

/** What an operation's invocation and completion both say about it. */
interface OperationFields {
  /** Milliseconds since the start of the run (virtual time in the simulator). */
  time: number;
  id: number;
  client: string;
  node: number;
  op: DataOp;
  key: string;
  level: LevelName;
}

export interface InvokeRecord extends OperationFields {
  type: 'invoke';
  /** The value written: a string for insert/update, null for delete; absent for get. */
  value?: string | null;
}

export type OpOutcome =
  | { ok: true; value: string | null; found: boolean }
  | { ok: false; error: ErrorCode; message?: string };

export interface ReplicaNote {
  node: number;
  state: ReplicaState;
  ts?: Timestamp;
}

export interface CompleteRecord extends OperationFields {
  type: 'complete';
  result: OpOutcome;
  /** Writes: the timestamp of the version written. Reads: of the newest version answered. */
  ts?: Timestamp;
  /** What each replica did, as the coordinator reported it (acks of a write, answers of a read). */
  replicas?: ReplicaNote[];
}

/** `repair`: the node started an anti-entropy round with its peers (not a fault, a step). */
export type FaultKind = 'crash' | 'restart' | 'partition' | 'heal' | 'loss' | 'clock' | 'repair';

export interface FaultRecord {
  type: 'fault';
  time: number;
  fault: FaultKind;
  node?: number;
  /** crash: true when the node lost its data (in-memory storage). */
  lost?: boolean;
  groups?: number[][];
  from?: number;
  to?: number;
  lossRate?: number;
  /** clock: the offset added to the node's wall clock, and the resolution it is floored to. */
  skewMs?: number;
  resolutionMs?: number;
  /** restart: what the node warned, down longer than the tombstone grace (deletes may return). */
  warning?: string;
}

/** From here on the cluster is healed, every node is up, and nothing is in flight. */
export interface QuietRecord {
  type: 'quiet';
  time: number;
}

/** One replica's whole store, taken at the end of a run after the final reads and repairs. */
export interface DumpRecord {
  type: 'dump';
  time: number;
  node: number;
  /** `repaired`: taken after the final heal, hints and anti-entropy, before the final reads. */
  phase?: 'repaired';
  entries: { key: string; value: string | null; ts: Timestamp }[];
}

export type HistoryRecord =
  MetaRecord | InvokeRecord | CompleteRecord | FaultRecord | QuietRecord | DumpRecord;

export function formatHistoryLine(record: HistoryRecord): string {
  return JSON.stringify(record);
}

export function formatHistory(records: readonly HistoryRecord[]): string {
  let text = '';
  for (const record of records) text += `${formatHistoryLine(record)}\n`;
  return text;
}

/** Appends history records to a file as JSON lines (the real orchestrator uses this too). */
export class HistoryWriter {
  readonly path: string;
  readonly #stream: WriteStream;
  #closed: Promise<void> | undefined;

  constructor(path: string, options: { append?: boolean } = {}) {
    this.path = path;
    this.#stream = createWriteStream(path, { flags: options.append === true ? 'a' : 'w' });
  }

  append(record: HistoryRecord): void {
    if (this.#closed !== undefined) throw new Error(`History ${this.path} is already closed.`);
    this.#stream.write(`${formatHistoryLine(record)}\n`);
  }

  close(): Promise<void> {
    this.#closed ??= new Promise((resolve, reject) => {
      this.#stream.once('error', reject);
      this.#stream.end(() => resolve());
    });
    return this.#closed;
  }
}
