import type { Random } from '../core/random.js';

/** Picks record numbers in [0, count). */
export type KeyGenerator = () => number;

export type KeyDistribution = 'uniform' | 'zipfian';

export function createKeyGenerator(
  distribution: KeyDistribution,
  count: number,
  random: Random,
): KeyGenerator {
  return distribution === 'uniform'
    ? () => Math.floor(random() * count)
    : createScrambledZipfian(count, random);
}

// YCSB's constants: ScrambledZipfianGenerator draws from a zipfian over ten billion items
// (whose zeta is precomputed) and hashes the draw into the record range.
export const zipfianTheta = 0.99;
const scrambledItemCount = 10_000_000_000;
const scrambledZetan = 26.46902820178302;

/** YCSB's ZipfianGenerator over [0, items): item 0 is the most popular. */
export function createZipfian(
  items: number,
  random: Random,
  theta = zipfianTheta,
  zetan = computeZeta(items, theta),
): KeyGenerator {
  const alpha = 1 / (1 - theta);
  const zeta2theta = computeZeta(2, theta);
  const eta = (1 - Math.pow(2 / items, 1 - theta)) / (1 - zeta2theta / zetan);
  const secondBound = 1 + Math.pow(0.5, theta);
  return () => {
    const u = random();
    const uz = u * zetan;
    if (uz < 1) return 0;
    if (uz < secondBound) return 1;
    return Math.floor(items * Math.pow(eta * u - eta + 1, alpha));
  };
}

/**
 * YCSB's ScrambledZipfianGenerator: zipfian popularity, but the popular records are spread over
 * the key space by FNV-1a 64 instead of being the lowest numbers.
 */
export function createScrambledZipfian(count: number, random: Random): KeyGenerator {
  const zipfian = createZipfian(scrambledItemCount + 1, random, zipfianTheta, scrambledZetan);
  return () => modulo64(fnvHash64(zipfian()), count);
}

export function computeZeta(items: number, theta: number): number {
  let sum = 0;
  for (let i = 1; i <= items; i++) sum += 1 / Math.pow(i, theta);
  return sum;
}

const twoTo32 = 4_294_967_296;

/** A 64-bit value as two unsigned 32-bit halves (JavaScript numbers stop being exact at 2^53). */
export interface Uint64 {
  hi: number;
  lo: number;
}

/**
 * YCSB's Utils.fnvhash64 of a non-negative integer below 2^53: FNV-1a over its 8 little-endian
 * bytes, then Java's Math.abs of the signed 64-bit result.
 */
export function fnvHash64(value: number): Uint64 {
  let lo = 0x84222325;
  let hi = 0xcbf29ce4;
  let rest = value;
  for (let i = 0; i < 8; i++) {
    const octet = rest % 256;
    rest = Math.floor(rest / 256);
    lo = (lo ^ octet) >>> 0;
    // hash *= 0x100000001b3, i.e. hash * 0x1b3 + (hash << 40), modulo 2^64.
    const low = lo * 0x1b3;
    const carry = Math.floor(low / twoTo32);
    hi = (hi * 0x1b3 + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = low >>> 0;
  }
  if (hi >= 0x80000000) {
    // Two's complement negation: the absolute value of a negative signed 64-bit number.
    lo = (twoTo32 - lo) % twoTo32;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  return { hi, lo };
}

/** (hi·2^32 + lo) mod n without losing precision, for n below 2^36. */
export function modulo64(value: Uint64, n: number): number {
  let high = value.hi % n;
  for (let i = 0; i < 2; i++) high = (high * 65_536) % n;
  return (high + value.lo) % n;
}
