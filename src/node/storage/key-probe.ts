import {
  encodingAscii,
  encodingOfNonAscii,
  encodingUtf16,
  writeText,
  type TextEncoding,
} from './text-encoding.js';

/** Bytes of the reusable buffer a non-ASCII key is encoded into, before it first grows. */
const scratchBytesInitial = 256;
/** The largest code unit of an ASCII string. */
const asciiMax = 0x7f;
const fnvOffsetBasis = 0x811c9dc5;
const fnvPrime = 0x01000193;

/**
 * One key being looked up: its hash and form, worked out once per store call and reused by every
 * probe of the index. An ASCII key is compared with the stored bytes code unit by code unit;
 * any other key is encoded once, into a buffer kept between calls, so a lookup allocates nothing.
 */
export class KeyProbe {
  key = '';
  hash = 0;
  encoding: TextEncoding = encodingAscii;
  #scratch = Buffer.allocUnsafeSlow(scratchBytesInitial);
  /** The encoded length, or -1 until a non-ASCII key is encoded. */
  #bytes = 0;

  /** Hashes the key's UTF-16 code units (FNV-1a, then murmur3's finalizer) and finds its form. */
  set(key: string): void {
    let hash = fnvOffsetBasis;
    let units = 0;
    for (let i = 0; i < key.length; i++) {
      const unit = key.charCodeAt(i);
      units |= unit;
      hash = Math.imul(hash ^ unit, fnvPrime);
    }
    this.key = key;
    this.hash = finalizeHash(hash);
    this.encoding = units <= asciiMax ? encodingAscii : encodingOfNonAscii(key);
    this.#bytes = this.encoding === encodingAscii ? key.length : -1;
  }

  /** The key's length in its stored form. */
  byteLength(): number {
    if (this.#bytes < 0) this.#encode();
    return this.#bytes;
  }

  /** Whether the key's bytes are the `length` bytes of `slab` from `start`. */
  matches(slab: Buffer, start: number, length: number): boolean {
    const key = this.key;
    if (this.encoding === encodingAscii) {
      if (length !== key.length) return false;
      for (let i = 0; i < length; i++) if (slab[start + i] !== key.charCodeAt(i)) return false;
      return true;
    }
    if (length !== this.byteLength()) return false;
    const scratch = this.#scratch;
    for (let i = 0; i < length; i++) if (slab[start + i] !== scratch[i]) return false;
    return true;
  }

  copyTo(slab: Buffer, offset: number): void {
    if (this.encoding === encodingAscii)
      writeText(slab, this.key, offset, this.#bytes, encodingAscii);
    else this.#scratch.copy(slab, offset, 0, this.byteLength());
  }

  #encode(): void {
    const key = this.key;
    const bytesMax = key.length * (this.encoding === encodingUtf16 ? 2 : 3);
    if (this.#scratch.length < bytesMax) this.#scratch = Buffer.allocUnsafeSlow(bytesMax);
    const encoding = this.encoding === encodingUtf16 ? 'utf16le' : 'utf8';
    this.#bytes = this.#scratch.write(key, 0, encoding);
  }
}

// Spreads FNV's bits so that the index's low bits differ between similar keys.
function finalizeHash(fnv: number): number {
  let hash = fnv ^ (fnv >>> 16);
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
