import type { KeyIndex } from './key-index.js';
import { isRecordDead, recordBytes, recordHash } from './record-layout.js';
import type { SlabArena } from './slab-arena.js';

/**
 * Copies a slab's live records to the slab taking appends, points the index at the copies and
 * frees the slab. The work is bounded by one slab, so a write that triggers it pauses briefly.
 * Neighbouring live records that land side by side are copied in one go.
 */
export function compactSlab(arena: SlabArena, index: KeyIndex, slabId: number): void {
  const source = arena.slabs[slabId]!;
  const end = arena.usedBytes(slabId);
  let runStart = 0;
  let runEnd = 0;
  let runTarget = -1;
  let runOffset = 0;
  for (let at = 0; at < end;) {
    const bytes = recordBytes(source, at);
    if (!isRecordDead(source, at)) {
      arena.reserve(bytes);
      const adjoins = at === runEnd && arena.slabId === runTarget;
      if (!adjoins || arena.offset !== runOffset + (runEnd - runStart)) {
        if (runTarget >= 0) {
          source.bytes.copy(arena.slabs[runTarget]!.bytes, runOffset, runStart, runEnd);
        }
        runStart = at;
        runTarget = arena.slabId;
        runOffset = arena.offset;
      }
      runEnd = at + bytes;
      arena.kill(slabId, bytes);
      index.relocate(recordHash(source, at), slabId, at, arena.slabId, arena.offset);
    }
    at += bytes;
  }
  if (runTarget >= 0) source.bytes.copy(arena.slabs[runTarget]!.bytes, runOffset, runStart, runEnd);
  arena.release(slabId);
}
