import { compareTimestamps, type Timestamp } from '../core/clock.js';
import { ringOf, type Ring } from '../core/ring.js';
import { compareVersions, type Version } from '../core/version.js';
import type { FaultRecord, MetaRecord } from './history.js';
import type { Operation } from './operations.js';

/** Orders timestamps, an absent one (nothing stored) below every other. */
export function compareTs(a: Timestamp | undefined, b: Timestamp | undefined): number {
  if (a === undefined) return b === undefined ? 0 : -1;
  if (b === undefined) return 1;
  return compareTimestamps(a, b);
}

export function tsKey(ts: Timestamp | undefined): string {
  return ts === undefined ? 'none' : `${ts.wallMs}.${ts.counter}@${ts.nodeId}`;
}

/**
 * The version an operation wrote or read; undefined for a read that found nothing stored. Its
 * identity is the timestamp and the value: a clock that starts over after a restart can stamp
 * two different writes alike, and last write wins then orders them by value.
 */
export function versionOf(op: Operation): Version | undefined {
  if (op.ts === undefined) return undefined;
  return { value: op.isWrite || op.found ? op.value : null, ts: op.ts };
}

/** Orders two operations' versions as last write wins does; nothing stored comes first. */
export function compareOps(a: Operation, b: Operation): number {
  const [x, y] = [versionOf(a), versionOf(b)];
  if (x === undefined) return y === undefined ? 0 : -1;
  if (y === undefined) return 1;
  return compareVersions(x, y);
}

export function versionKey(version: Version | undefined): string {
  return version === undefined ? 'none' : `${tsKey(version.ts)}=${JSON.stringify(version.value)}`;
}

/** The nodes a write's completion says acknowledged it, or undefined when not recorded. */
export function ackedBy(write: Operation): number[] | undefined {
  return write.replicas
    ?.filter((r) => r.state === 'fresh' && r.ts !== undefined)
    .map((r) => r.node);
}

/** The nodes whose answer a read's completion counted, or undefined when not recorded. */
export function answeredBy(read: Operation): number[] | undefined {
  return read.replicas
    ?.filter((r) => r.state !== 'pending' && r.state !== 'down')
    .map((r) => r.node);
}

/** What the checker knows about the cluster besides the operations: replica sets and crashes. */
export class CheckContext {
  readonly meta: MetaRecord;
  readonly #ring: Ring | undefined;
  readonly #crashes: { node: number; timeMs: number; lossy: boolean }[] = [];

  constructor(meta: MetaRecord, faults: readonly FaultRecord[]) {
    this.meta = meta;
    this.#ring =
      meta.nodes.length >= meta.replicationFactor
        ? ringOf(meta.nodes, meta.replicationFactor, meta.virtualNodes)
        : undefined;
    for (const fault of faults) {
      if (fault.fault !== 'crash' || fault.node === undefined) continue;
      // When the history does not say, a crash may have lost data unless storage is durable.
      const lossy = fault.lost ?? meta.durable !== true;
      this.#crashes.push({ node: fault.node, timeMs: fault.time, lossy });
    }
  }

  get hasCrashes(): boolean {
    return this.#crashes.length > 0;
  }

  /** The key's replica set, or undefined when the history does not describe the ring. */
  replicasOf(key: string): readonly number[] | undefined {
    return this.#ring?.replicasFor(key);
  }

  /**
   * Whether a crash hit one of `nodes` (undefined: any replica of `key`) strictly between the
   * two times (inclusive: a tie gets the benefit of the doubt); `lossy` restricts it to crashes that lost the node's data.
   */
  crashedBetween(
    key: string,
    nodes: readonly number[] | undefined,
    afterMs: number,
    beforeMs: number,
    lossy: boolean,
  ): boolean {
    const among = nodes ?? this.replicasOf(key);
    return this.#crashes.some(
      (crash) =>
        (!lossy || crash.lossy) &&
        crash.timeMs >= afterMs &&
        crash.timeMs <= beforeMs &&
        (among === undefined || among.includes(crash.node)),
    );
  }

  /** Whether every one of `nodes` lost its data in a crash between the two times. */
  allLostBetween(nodes: readonly number[], afterMs: number, beforeMs: number): boolean {
    return nodes.every((node) =>
      this.#crashes.some(
        (crash) =>
          crash.node === node && crash.lossy && crash.timeMs >= afterMs && crash.timeMs <= beforeMs,
      ),
    );
  }
}
