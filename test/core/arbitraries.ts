import fc from 'fast-check';
import type { Timestamp } from '../../src/core/clock.js';
import type { Version } from '../../src/core/version.js';

// Small ranges on purpose: ties in wall time, counter and node id come up often.
export const timestampArbitrary: fc.Arbitrary<Timestamp> = fc.record(
  {
    wallMs: fc.integer({ min: 0, max: 4 }),
    counter: fc.integer({ min: 0, max: 2 }),
    nodeId: fc.integer({ min: 1, max: 3 }),
  },
  { noNullPrototype: true },
);

/** A value (from a small alphabet, so equal values at equal timestamps happen) or a tombstone. */
export const versionArbitrary: fc.Arbitrary<Version> = fc.record(
  {
    value: fc.option(fc.constantFrom('a', 'b', 'c', ''), { nil: null, freq: 3 }),
    ts: timestampArbitrary,
  },
  { noNullPrototype: true },
);

export function stamp(wallMs: number, counter = 0, nodeId = 1): Timestamp {
  return { wallMs, counter, nodeId };
}

export function value(text: string, wallMs: number, counter = 0, nodeId = 1): Version {
  return { value: text, ts: stamp(wallMs, counter, nodeId) };
}

export function tombstone(wallMs: number, counter = 0, nodeId = 1): Version {
  return { value: null, ts: stamp(wallMs, counter, nodeId) };
}
