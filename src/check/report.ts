import type { LevelName } from '../core/levels.js';
import type { MetaRecord } from './history.js';
import type { ViolationCause } from './linearizability.js';

/** Reads per pair (level of the newest write completed before the read began / read level). */
export interface ReadRow {
  replicationFactor: number;
  write: LevelName | '-';
  read: LevelName;
  /** W + R > RF: these reads must not be stale. */
  promised: boolean;
  reads: number;
  stale: number;
  /** Stale reads whose replicas had lost the write in a crash (not a broken promise). */
  staleDataLoss: number;
  broken: number;
}

/** Acknowledged writes per write level, judged by the final read of a quiet cluster. */
export interface WriteRow {
  level: LevelName;
  acknowledged: number;
  /** Timed out, unavailable or cut off: may or may not have applied. */
  indefinite: number;
  lost: number;
  resurrected: number;
  /** Lost or resurrected because every acknowledging replica lost its data in a crash. */
  dataLoss: number;
  /** Acknowledged, but stamped older than a version already seen: last write wins dropped it. */
  overwritten: number;
  broken: number;
}

/** Per-key linearizability, for keys whose levels all satisfy W + R > RF. */
export interface KeyRow {
  replicationFactor: number;
  /** Write levels / read levels used on the keys of this row; `mixed` for several of either. */
  levels: string;
  keys: number;
  /** Keys where linearizability is promised: W + R > RF, 2R > RF and blocking read repair. */
  promisedKeys: number;
  nonLinearizable: number;
  nonLinearizablePromised: number;
  causes: Partial<Record<ViolationCause, number>>;
  broken: number;
}

export type FindingKind =
  | 'stale-read'
  | 'lost-write'
  | 'resurrected-delete'
  | 'not-converged'
  | 'not-recovered'
  | 'unavailable-healthy'
  | 'not-linearizable'
  | 'overwritten';

export interface Finding {
  kind: FindingKind;
  key: string;
  cause?: ViolationCause;
  /** Ids of the operations involved. */
  operations: number[];
  message: string;
  /** A promise of the levels is broken (the checker exits 1). */
  broken: boolean;
  /** Why it is not a broken promise, when it is not. */
  excuse?: string;
}

export interface CheckReport {
  meta: MetaRecord;
  operations: number;
  keys: number;
  /** Keys with writes but no successful final read at `all`: lost writes cannot be judged. */
  keysWithoutFinalRead: number;
  reads: ReadRow[];
  writes: WriteRow[];
  linearizability: KeyRow[];
  convergence: { keys: number; diverged: number; promised: boolean; judged: boolean };
  /** Keys whose replicas differed after the final heal, hinted handoff and anti-entropy, before any final read. */
  recovery: { keys: number; diverged: number; judged: boolean };
  clocks: { skewed: boolean; coarse: boolean };
  findings: Finding[];
  findingsOmitted: number;
  broken: number;
  ok: boolean;
}
