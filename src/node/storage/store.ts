import type { Timestamp } from '../../core/clock.js';
import type { Version } from '../../core/version.js';

/** Where a node keeps its versions. Reads are synchronous; a write resolves once it is kept. */
export interface Store {
  readonly kind: string;
  get(key: string): Version | undefined;
  put(key: string, version: Version): void | Promise<void>;
  remove(key: string): void | Promise<void>;
  entries(): IterableIterator<[string, Version]>;
  readonly size: number;
  /** How many of the versions are tombstones, kept as writes come (never a scan). */
  readonly tombstones: number;
  /** The newest timestamp among the versions the store held when it opened (from its one scan). */
  readonly newestAtOpen: Timestamp | undefined;
  /**
   * Counts the puts and removes so far: what was built from the entries at one count (a Merkle
   * tree) still holds while the count stands.
   */
  readonly changes: number;
  close(): Promise<void>;
}

/** How a write changes the count of tombstones: -1, 0 or +1. */
export function tombstoneDelta(before: Version | undefined, after: Version | undefined): number {
  return (after?.value === null ? 1 : 0) - (before?.value === null ? 1 : 0);
}
