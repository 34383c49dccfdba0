import { compareVersions, type Version } from './version.js';

/** What a replica does with an incoming version, given the one it holds. */
export interface WriteDecision {
  /** True when the incoming version is newer and must be stored. */
  apply: boolean;
  /** True when the replica held no version of the key before (a tombstone counts as none). */
  created: boolean;
}

// Last write wins: store the incoming version only when it is newer than the held one.
export function decideWrite(held: Version | undefined, incoming: Version): WriteDecision {
  const created = held === undefined || held.value === null;
  const apply = held === undefined || compareVersions(incoming, held) > 0;
  return { apply, created };
}

/** A tombstone may be purged once it is older than the grace period. */
export function isPurgeable(version: Version, nowMs: number, tombstoneGraceMs: number): boolean {
  return version.value === null && nowMs - version.ts.wallMs > tombstoneGraceMs;
}
