// The update the trace benchmarks trace (bench/trace-cost.mjs, bench/trace-encode.mjs): at
// `one`, answered by one of three replicas, with a 100-byte value.
export const ts = { wallMs: 1_700_000_000_000, counter: 0, nodeId: 1 };
export const value = 'v'.repeat(100);
/** Its OpResult, as the coordinator answers it. */
export const result = {
  op: 'update',
  key: 'user1234',
  level: 'one',
  coordinator: 1,
  required: 1,
  acks: 1,
  value,
  found: true,
  ts,
  replicas: [
    { node: 2, state: 'fresh', ts },
    { node: 3, state: 'pending' },
    { node: 4, state: 'pending' },
  ],
};
