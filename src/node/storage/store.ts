import type { Version } from '../../core/version.js';

/** Where a node keeps its versions. Reads are synchronous; a write resolves once it is kept. */
export interface Store {
  readonly kind: string;
  get(key: string): Version | undefined;
  put(key: string, version: Version): void | Promise<void>;
  remove(key: string): void | Promise<void>;
  entries(): IterableIterator<[string, Version]>;
  readonly size: number;
  close(): Promise<void>;
}
