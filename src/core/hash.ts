/** 32-bit FNV-1a over the string's UTF-16 code units, finished with murmur3's avalanche mix. */
export function hashString(input: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    hash ^= input.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return avalanche(hash);
}

/** Two 32-bit hashes combined into one (FNV-1a over their bytes, then the same mix). */
export function hashPair(left: number, right: number): number {
  let hash = 0x811c9dc5;
  for (const word of [left, right]) {
    for (let shift = 0; shift < 32; shift += 8) {
      hash ^= (word >>> shift) & 0xff;
      hash = Math.imul(hash, 0x01000193);
    }
  }
  return avalanche(hash);
}

// murmur3's finalizer: every input bit flips each output bit with probability about 1/2.
function avalanche(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
