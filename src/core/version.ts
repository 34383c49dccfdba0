import { compareTimestamps, type Timestamp } from './clock.js';

/** A stored version of a key: a value, or a tombstone (value null) that records a delete. */
export interface Version {
  value: string | null;
  ts: Timestamp;
}

export function isTombstone(version: Version): boolean {
  return version.value === null;
}

/**
 * Orders versions by timestamp (last write wins). Equal timestamps only come from the same
 * write; the value breaks the tie anyway so that merge stays commutative for any input.
 */
export function compareVersions(a: Version, b: Version): number {
  const byTs = compareTimestamps(a.ts, b.ts);
  if (byTs !== 0) return byTs;
  if (a.value === b.value) return 0;
  if (a.value === null) return 1; // a tombstone wins a tie: a delete is never undone by a tie
  if (b.value === null) return -1;
  return a.value < b.value ? -1 : 1;
}

/** Last-write-wins merge: commutative, associative and idempotent. */
export function mergeVersions(a: Version | undefined, b: Version | undefined): Version | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareVersions(a, b) >= 0 ? a : b;
}

/** The newest of several versions, or undefined when none has one. */
export function newestVersion(versions: Iterable<Version | undefined>): Version | undefined {
  let newest: Version | undefined;
  for (const version of versions) newest = mergeVersions(newest, version);
  return newest;
}

export function versionsEqual(a: Version | undefined, b: Version | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return compareVersions(a, b) === 0;
}
