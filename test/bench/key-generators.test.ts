import test from 'ava';
import {
  createKeyGenerator,
  createZipfian,
  fnvHash64,
  modulo64,
} from '../../src/bench/key-generators.js';
import { createSeededRandom } from '../../src/core/random.js';

// YCSB's Utils.fnvhash64 in 64-bit arithmetic, as Java computes it.
function referenceFnvHash64(value: number): bigint {
  let hash = 0xcbf29ce484222325n;
  let rest = BigInt(value);
  for (let i = 0; i < 8; i++) {
    hash ^= rest & 0xffn;
    rest >>= 8n;
    hash = BigInt.asUintN(64, hash * 1099511628211n);
  }
  const signed = BigInt.asIntN(64, hash);
  return signed < 0n ? -signed : signed;
}

test('fnvHash64 matches the 64-bit FNV-1a of YCSB, absolute value included', (t) => {
  const random = createSeededRandom(7);
  const inputs = [0, 1, 255, 256, 65_535, 2 ** 32 - 1, 2 ** 32, 10_000_000_000];
  for (let i = 0; i < 500; i++) inputs.push(Math.floor(random() * 10_000_000_001));
  for (const input of inputs) {
    const { hi, lo } = fnvHash64(input);
    t.is((BigInt(hi) << 32n) | BigInt(lo), referenceFnvHash64(input), `input ${input}`);
  }
});

test('modulo64 reduces a 64-bit value exactly', (t) => {
  for (const n of [1, 7, 1_000, 10_000, 1_000_000, 123_456_789]) {
    const value = { hi: 0xdeadbeef, lo: 0x12345678 };
    const expected = ((BigInt(value.hi) << 32n) | BigInt(value.lo)) % BigInt(n);
    t.is(modulo64(value, n), Number(expected), `n ${n}`);
  }
});

test('the zipfian generator favours the first items in YCSB proportions', (t) => {
  const draw = createZipfian(1_000, createSeededRandom(1));
  const counts = new Array<number>(1_000).fill(0);
  const draws = 200_000;
  for (let i = 0; i < draws; i++) counts[draw()]! += 1;
  // With theta 0.99 over 1000 items, item 0 has 1/zeta(1000) ≈ 13% of the draws.
  t.true(Math.abs(counts[0]! / draws - 0.1335) < 0.01, `share of item 0: ${counts[0]! / draws}`);
  t.true(counts[0]! > counts[1]! && counts[1]! > counts[10]! && counts[10]! > counts[500]!);
});

test('scrambled zipfian keys stay in range and spread the popular ones', (t) => {
  const next = createKeyGenerator('zipfian', 10_000, createSeededRandom(3));
  const counts = new Map<number, number>();
  for (let i = 0; i < 100_000; i++) {
    const record = next();
    t.true(record >= 0 && record < 10_000 && Number.isInteger(record));
    counts.set(record, (counts.get(record) ?? 0) + 1);
  }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
  t.true(top[0]![1] > 1_000, 'the hottest record is hot');
  t.false(
    top.every(([record]) => record < 5),
    'the hot records are not just the first ones',
  );
});

test('uniform keys cover the range evenly', (t) => {
  const next = createKeyGenerator('uniform', 10, createSeededRandom(5));
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 10_000; i++) counts[next()]! += 1;
  t.true(counts.every((count) => count > 850 && count < 1150));
});
