import test from 'ava';
import { hashString } from '../../src/core/hash.js';

const popcount = (x: number) => {
  let bits = 0;
  for (let v = x >>> 0; v !== 0; v >>>= 1) bits += v & 1;
  return bits;
};

test('a key hashes to the same unsigned 32-bit number every time', (t) => {
  for (const key of ['', 'a', 'key-1', 'ключ', '🔑', 'x'.repeat(1_024)]) {
    const hash = hashString(key);
    t.true(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 32, `${key}: ${hash}`);
    t.is(hashString(key), hash);
  }
});

test('keys that differ in one character hash about half their bits apart', (t) => {
  let bits = 0;
  const pairs = 1_000;
  for (let i = 0; i < pairs; i++)
    bits += popcount(hashString(`key-${i}`) ^ hashString(`key-${i + 1}`));
  const average = bits / pairs;
  t.true(average > 14 && average < 18, `average of ${average} bits differ`);
});

test('10,000 keys spread evenly over 16 buckets', (t) => {
  const buckets = new Array<number>(16).fill(0);
  for (let i = 0; i < 10_000; i++) buckets[hashString(`user:${i}`) >>> 28]!++;
  for (const count of buckets) t.true(count > 500 && count < 750, `bucket of ${count}`);
});
