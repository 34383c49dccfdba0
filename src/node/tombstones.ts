import { compareTimestamps } from '../core/clock.js';
import { isPurgeable } from '../core/replica.js';
import type { Ring } from '../core/ring.js';
import { versionsEqual, type Version } from '../core/version.js';
import type { Store } from './storage/store.js';

/** Tombstones examined in one purge pass, so a pass stays short. */
export const purgeBatchMax = 1000;

export interface PurgeOptions {
  store: Store;
  ring: Ring;
  selfId: number;
  tombstoneGraceMs: number;
  nowMs: number;
  isAvailable: (node: number) => boolean;
  readFrom: (node: number, key: string) => Promise<Version | undefined>;
}

/**
 * Drops tombstones past the grace period that every other replica also holds (or already
 * dropped). While any replica is unreachable or still has the value, the tombstone stays, so
 * repair can never bring a deleted value back.
 */
export async function purgeTombstones(options: PurgeOptions): Promise<number> {
  const { store, ring, selfId } = options;
  const candidates: [string, Version][] = [];
  for (const [key, version] of store.entries()) {
    if (!isPurgeable(version, options.nowMs, options.tombstoneGraceMs)) continue;
    candidates.push([key, version]);
    if (candidates.length >= purgeBatchMax) break;
  }
  let purged = 0;
  for (const [key, tombstone] of candidates) {
    const others = ring.replicasFor(key).filter((node) => node !== selfId);
    if (!others.every(options.isAvailable)) continue;
    const answers = await Promise.all(
      others.map((node) =>
        options.readFrom(node, key).then(
          (v) => ({ ok: true as const, v }),
          () => ({ ok: false as const }),
        ),
      ),
    );
    const everyoneHasIt = answers.every(
      (answer) =>
        answer.ok &&
        (answer.v === undefined ||
          (answer.v.value === null && compareTimestamps(answer.v.ts, tombstone.ts) >= 0)),
    );
    if (!everyoneHasIt || !versionsEqual(store.get(key), tombstone)) continue;
    await store.remove(key);
    purged++;
  }
  return purged;
}
