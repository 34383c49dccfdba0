import type { Timestamp } from '../core/clock.js';
import { presence } from './trace-codec.js';

/** The bytes a batch starts with; it doubles as events come, up to the writer's bound. */
const initialBatchBytes = 64 * 1024;
/** Strings up to this long are copied in JS when they are ASCII (keys, client names). */
const shortStringLength = 64;

/** Bytes a `uint` takes at most: a marker byte and a float64. */
export const uintBytesMax = 9;
/** The largest number `uint` writes in LEB128 (it writes the number + 1, at most 2^53 - 1). */
const uintLebMax = Number.MAX_SAFE_INTEGER - 1;
/** Four 7-bit groups: what a 32-bit integer holds of a number in LEB128. */
const lowGroups = 2 ** 28;

/** Thrown by `room` (and caught by the encoder): the record does not fit within the bound. */
export const batchFull = Symbol('trace batch full');

/**
 * The bytes of one trace batch and the primitives its records are made of
 * (src/trace/trace-codec.ts): a byte, a float64, a UTF-8 string with its length. Two buffers:
 * `take` hands out the batch and goes on in the spare, which `recycle` gives back.
 */
export class BatchWriter {
  readonly #bytesMax: number;
  #bytes!: Buffer;
  #view!: DataView;
  /** Where the next byte goes; the encoder sets it back to drop a half-written record. */
  offset = 0;
  #spare: Buffer | undefined;

  constructor(bytesMax: number) {
    this.#bytesMax = bytesMax;
    this.#use(Buffer.allocUnsafeSlow(Math.min(initialBatchBytes, bytesMax)));
  }

  get bytesMax(): number {
    return this.#bytesMax;
  }

  /** The batch so far; the writer goes on in its spare buffer. */
  take(): Uint8Array {
    const batch = this.#bytes.subarray(0, this.offset);
    this.#use(this.#spare ?? Buffer.allocUnsafeSlow(Math.min(initialBatchBytes, this.#bytesMax)));
    this.#spare = undefined;
    return batch;
  }

  /** Takes back a batch `take` returned and that is no longer read: its buffer is the spare. */
  recycle(batch: Uint8Array): void {
    // The writer's buffers are never pooled (allocUnsafeSlow): each owns its ArrayBuffer.
    if (batch.byteOffset === 0) this.#spare = Buffer.from(batch.buffer);
  }

  /** Writes one byte; the caller made room. */
  byte(value: number): void {
    this.#bytes[this.offset++] = value;
  }

  /** Writes one float64; the caller made room. */
  f64(value: number): void {
    this.#view.setFloat64(this.offset, value, true);
    this.offset += 8;
  }

  /**
   * Writes a number in 1 to 9 bytes: a whole number from 0 to 2^53 - 2 (times, ids, counts) as
   * itself + 1 in LEB128 (7 bits a byte, low first; so its first byte is never 0), any other
   * as a 0 byte and its float64. The caller made room for uintBytesMax.
   */
  uint(value: number): void {
    const whole = value > 0 ? value <= uintLebMax && Number.isInteger(value) : Object.is(value, 0);
    if (!whole) {
      this.#bytes[this.offset++] = 0;
      return this.f64(value);
    }
    const bytes = this.#bytes;
    let at = this.offset;
    let rest = value + 1;
    if (rest >= lowGroups) {
      // Past 28 bits: the low four groups from one remainder, then the rest in 32-bit integers.
      const low = rest % lowGroups;
      bytes[at++] = (low & 0x7f) | 0x80;
      bytes[at++] = ((low >>> 7) & 0x7f) | 0x80;
      bytes[at++] = ((low >>> 14) & 0x7f) | 0x80;
      bytes[at++] = (low >>> 21) | 0x80;
      rest = (rest - low) / lowGroups;
    }
    while (rest >= 0x80) {
      bytes[at++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    bytes[at++] = rest;
    this.offset = at;
  }

  string(value: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; a long string is measured instead.
    this.room(4 + (value.length <= 1024 ? 3 * value.length : Buffer.byteLength(value)));
    const at = this.offset + 4;
    const length = value.length <= shortStringLength ? writeAscii(this.#bytes, value, at) : -1;
    const written = length >= 0 ? length : this.#bytes.write(value, at, 'utf8');
    this.#view.setUint32(this.offset, written, true);
    this.offset = at + written;
  }

  optionalString(value: string | null | undefined): void {
    this.room(1);
    this.byte(
      value === undefined ? presence.absent : value === null ? presence.null : presence.present,
    );
    if (typeof value === 'string') this.string(value);
  }

  timestamp(ts: Timestamp): void {
    this.room(3 * uintBytesMax);
    this.uint(ts.wallMs);
    this.uint(ts.counter);
    this.uint(ts.nodeId);
  }

  /** Makes room for `bytes` more, growing the batch up to the bound; throws batchFull past it. */
  room(bytes: number): void {
    const needed = this.offset + bytes;
    if (needed > this.#bytesMax) throw batchFull;
    if (needed <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafeSlow(Math.min(size, this.#bytesMax));
    const offset = this.offset;
    this.#bytes.copy(grown, 0, 0, offset);
    this.#use(grown);
    this.offset = offset;
  }

  #use(bytes: Buffer): void {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = 0;
  }
}

/** Copies an ASCII string's bytes to `at`; -1 (bytes after `at` undefined) when it is not ASCII. */
function writeAscii(bytes: Buffer, value: string, at: number): number {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x80) return -1;
    bytes[at + i] = code;
  }
  return value.length;
}
