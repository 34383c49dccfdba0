/** Emptied slabs kept for the next append instead of going back to the allocator. */
export const spareSlabsMax = 1;
/** A record over this share of a slab gets a slab of its own, so a full slab wastes less at its end. */
export const ownSlabShare = 1 / 8;

/** One slab: its bytes, and a DataView over them (reads several times faster than Buffer's). */
export interface Slab {
  bytes: Buffer;
  view: DataView;
}

/** Byte counts of an arena, for tests and status. */
export interface ArenaStats {
  slabs: number;
  /** Bytes of every slab held: records, the unused room at their ends, spares. */
  heldBytes: number;
  /** Bytes of the records a key still points at. */
  liveBytes: number;
  /** Bytes of records superseded or removed, not yet compacted away. */
  deadBytes: number;
}

/**
 * Records appended into big Buffers off the JS heap. One slab at a time takes appends; a big
 * record gets a slab of its own. The arena counts each slab's live bytes, so the
 * store can pick the slab with the most dead bytes and copy its live records out (compaction).
 */
export class SlabArena {
  /** Slabs by id; a released id holds undefined until a new slab takes it. */
  readonly slabs: (Slab | undefined)[] = [];
  /** Where the last `reserve` placed its record. */
  slabId = -1;
  offset = 0;
  liveBytes = 0;
  heldBytes = 0;
  /** Bytes of the records in all slabs, live or dead. */
  #usedBytes = 0;
  readonly #slabBytes: number;
  readonly #used: number[] = [];
  readonly #live: number[] = [];
  readonly #freeIds: number[] = [];
  readonly #spares: Slab[] = [];
  #active = -1;

  constructor(slabBytes: number) {
    this.#slabBytes = slabBytes;
  }

  /** Reserves room for a record of `bytes`, counted live, at `slabId` and `offset`. */
  reserve(bytes: number): void {
    let id = this.#active;
    if (bytes > this.#slabBytes * ownSlabShare) {
      id = this.#open(this.#allocate(bytes));
    } else if (id < 0 || this.#used[id]! + bytes > this.#slabBytes) {
      id = this.#open(this.#spares.pop() ?? this.#allocate(this.#slabBytes));
      this.#active = id;
    }
    this.slabId = id;
    this.offset = this.#used[id]!;
    this.#used[id] = this.offset + bytes;
    this.#live[id]! += bytes;
    this.liveBytes += bytes;
    this.#usedBytes += bytes;
  }

  /** Counts a record's bytes as dead once no key points at it. */
  kill(slabId: number, bytes: number): void {
    this.#live[slabId]! -= bytes;
    this.liveBytes -= bytes;
  }

  /** Bytes of the slab's records, dead or alive, from offset 0. */
  usedBytes(slabId: number): number {
    return this.#used[slabId]!;
  }

  /** Dead bytes in the slabs no longer taking appends: what compacting all of them would free. */
  sealedDeadBytes(): number {
    const active = this.#active;
    const activeDead = active < 0 ? 0 : this.#used[active]! - this.#live[active]!;
    return this.#usedBytes - this.liveBytes - activeDead;
  }

  /** The sealed slab with the most dead bytes, or -1 when none has any. */
  mostDeadSlab(): number {
    let best = -1;
    let bestDead = 0;
    for (let id = 0; id < this.slabs.length; id++) {
      if (this.slabs[id] === undefined || id === this.#active) continue;
      const dead = this.#used[id]! - this.#live[id]!;
      if (dead <= bestDead) continue;
      best = id;
      bestDead = dead;
    }
    return best;
  }

  /** Frees a slab whose live records were all copied out (or killed). */
  release(slabId: number): void {
    const slab = this.slabs[slabId];
    if (slab === undefined || this.#live[slabId] !== 0 || slabId === this.#active) {
      throw new Error(`Slab ${slabId} cannot be released: it is missing, live or being filled.`);
    }
    this.slabs[slabId] = undefined;
    this.#freeIds.push(slabId);
    this.#usedBytes -= this.#used[slabId]!;
    if (slab.bytes.length === this.#slabBytes && this.#spares.length < spareSlabsMax) {
      this.#spares.push(slab);
    } else {
      this.heldBytes -= slab.bytes.length;
    }
  }

  stats(): ArenaStats {
    return {
      slabs: this.slabs.filter((slab) => slab !== undefined).length + this.#spares.length,
      heldBytes: this.heldBytes,
      liveBytes: this.liveBytes,
      deadBytes: this.#usedBytes - this.liveBytes,
    };
  }

  clear(): void {
    this.slabs.length = 0;
    this.#used.length = 0;
    this.#live.length = 0;
    this.#freeIds.length = 0;
    this.#spares.length = 0;
    this.#active = -1;
    this.liveBytes = 0;
    this.heldBytes = 0;
    this.#usedBytes = 0;
  }

  #allocate(size: number): Slab {
    this.heldBytes += size;
    const bytes = Buffer.allocUnsafeSlow(size);
    return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, size) };
  }

  #open(slab: Slab): number {
    const id = this.#freeIds.pop() ?? this.slabs.length;
    this.slabs[id] = slab;
    this.#used[id] = 0;
    this.#live[id] = 0;
    return id;
  }
}
