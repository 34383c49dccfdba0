import type { KeyIndex } from './key-index.js';
import { isRecordDead, recordBytes, recordHash } from './record-layout.js';
import type { SlabArena } from './slab-arena.js';

/**
 * Copies a slab's live records to the slab taking appends, points the index at the copies and
 * frees the slab. The work is bounded by one slab, so a write that triggers it pauses briefly.
 */
export function compactSlab(arena: SlabArena, index: KeyIndex, slabId: number): void {
  const source = arena.slabs[slabId]!;
  const end = arena.usedBytes(slabId);
  for (let at = 0; at < end;) {
    const bytes = recordBytes(source, at);
    if (!isRecordDead(source, at)) {
      arena.reserve(bytes);
      source.copy(arena.slabs[arena.slabId]!, arena.offset, at, at + bytes);
      arena.kill(slabId, bytes);
      index.relocate(recordHash(source, at), slabId, at, arena.slabId, arena.offset);
    }
    at += bytes;
  }
  arena.release(slabId);
}
