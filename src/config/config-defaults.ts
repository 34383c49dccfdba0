// Defaults of optional settings and the bounds every setting is checked against, defined once.

export const configDefaults = {
  delayDistribution: 'uniform',
  fifo: true,
  replicationFactorMax: 3,
  defaultLevel: 'all',
  readRepair: 'background',
  requestTimeoutMs: 5_000,
  tombstoneGraceMs: 600_000,
  virtualNodes: 64,
  keyBytesMax: 1_024,
  valueBytesMax: 1_048_576,
  durability: 'batch',
  maxHintWindowMs: 10_800_000,
  heartbeatIntervalMs: 500,
  antiEntropyIntervalMs: 0,
  /** The base of the derived maxClockOffsetMs (src/config/clock-offset.ts). */
  maxClockOffsetMsBase: 500,
} as const;

export const configBounds = {
  fileBytesMax: 1_048_576,
  virtualNodesMax: 1_024,
  keyBytesCeiling: 65_536,
  valueBytesCeiling: 67_108_864,
  pythonNestingMax: 32,
} as const;
