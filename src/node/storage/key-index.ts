import type { KeyProbe } from './key-probe.js';
import { recordKeyMatches } from './record-layout.js';
import type { Slab } from './slab-arena.js';

/** Slots of a new index; always a power of two. */
export const indexSlotsInitial = 1024;
/** The index doubles once more than this share of its slots hold a key. */
export const indexLoadMax = 0.7;
/** The most slots the index grows to: 2^27 slots (1.5 GiB) hold 94 million keys. */
export const indexSlotsMax = 2 ** 27;

/** Each slot is three u32s: the key's hash, its record's slab id + 1 (0: empty), the offset. */
const slotFields = 3;

/**
 * Open addressing with linear probing from a key's hash to its record's place in the arena.
 * A slot keeps the full hash, so most probes that miss never touch a record; removal shifts
 * the following entries back, so no deleted markers pile up.
 */
export class KeyIndex {
  #slots: Uint32Array;
  #mask: number;
  #count = 0;

  constructor(slotsInitial = indexSlotsInitial) {
    if (!Number.isInteger(Math.log2(slotsInitial)) || slotsInitial > indexSlotsMax) {
      throw new RangeError(
        `Expected \`slotsInitial\` to be a power of two up to ${indexSlotsMax}, got ${slotsInitial}.`,
      );
    }
    this.#slots = new Uint32Array(slotsInitial * slotFields);
    this.#mask = slotsInitial - 1;
  }

  get count(): number {
    return this.#count;
  }

  get capacity(): number {
    return this.#mask + 1;
  }

  /** The slot holding the probe's key, or the complement (~slot) of the empty slot it would take. */
  find(probe: KeyProbe, slabs: readonly (Slab | undefined)[]): number {
    const slots = this.#slots;
    const mask = this.#mask;
    const hash = probe.hash;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slot * slotFields;
      const slabRef = slots[at + 1]!;
      if (slabRef === 0) return ~slot;
      if (slots[at] === hash && recordKeyMatches(slabs[slabRef - 1]!, slots[at + 2]!, probe)) {
        return slot;
      }
    }
  }

  /** The slab id of the record a slot points at, or -1 for an empty slot. */
  slabAt(slot: number): number {
    return this.#slots[slot * slotFields + 1]! - 1;
  }

  offsetAt(slot: number): number {
    return this.#slots[slot * slotFields + 2]!;
  }

  /** Points a slot at another record of the same key. */
  point(slot: number, slabId: number, offset: number): void {
    this.#slots[slot * slotFields + 1] = slabId + 1;
    this.#slots[slot * slotFields + 2] = offset;
  }

  /** Throws when one more key would need more slots than the index may have. */
  checkRoomForOne(): void {
    if (this.#count + 1 <= indexLoadMax * indexSlotsMax) return;
    throw new RangeError(`The memory store holds ${this.#count} keys, the most its index can.`);
  }

  /** Adds a key in the empty slot `find` named; the index may grow (and its slots move). */
  insert(slot: number, hash: number, slabId: number, offset: number): void {
    this.#slots[slot * slotFields] = hash;
    this.point(slot, slabId, offset);
    this.#count++;
    if (this.#count > indexLoadMax * this.capacity) this.#grow();
  }

  /** Points the slot that holds a record at the record's copy. */
  relocate(hash: number, fromSlab: number, fromOffset: number, toSlab: number, toOffset: number) {
    const slots = this.#slots;
    const mask = this.#mask;
    for (let slot = hash & mask; slots[slot * slotFields + 1] !== 0; slot = (slot + 1) & mask) {
      if (
        slots[slot * slotFields + 1] === fromSlab + 1 &&
        slots[slot * slotFields + 2] === fromOffset
      ) {
        this.point(slot, toSlab, toOffset);
        return;
      }
    }
    throw new Error(`No key points at the live record at ${fromOffset} in slab ${fromSlab}.`);
  }

  /** Empties a slot, moving later entries of its probe run back so each stays reachable. */
  remove(slot: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    let hole = slot;
    for (
      let next = (slot + 1) & mask;
      slots[next * slotFields + 1] !== 0;
      next = (next + 1) & mask
    ) {
      const home = slots[next * slotFields]! & mask;
      if (((next - home) & mask) < ((next - hole) & mask)) continue;
      slots.copyWithin(hole * slotFields, next * slotFields, (next + 1) * slotFields);
      hole = next;
    }
    slots.fill(0, hole * slotFields, (hole + 1) * slotFields);
    this.#count--;
  }

  clear(): void {
    this.#slots = new Uint32Array(indexSlotsInitial * slotFields);
    this.#mask = indexSlotsInitial - 1;
    this.#count = 0;
  }

  #grow(): void {
    const capacity = this.capacity * 2;
    const old = this.#slots;
    const slots = new Uint32Array(capacity * slotFields);
    const mask = capacity - 1;
    for (let at = 0; at < old.length; at += slotFields) {
      if (old[at + 1] === 0) continue;
      let slot = old[at]! & mask;
      while (slots[slot * slotFields + 1] !== 0) slot = (slot + 1) & mask;
      slots[slot * slotFields] = old[at]!;
      slots[slot * slotFields + 1] = old[at + 1]!;
      slots[slot * slotFields + 2] = old[at + 2]!;
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}
