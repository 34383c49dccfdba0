// Defaults of optional settings and the bounds every setting is checked against, defined once.

export const configDefaults = {
  delayDistribution: 'uniform',
  fifo: true,
  replicationFactorMax: 3,
  defaultLevel: 'all',
  readRepair: 'background',
  /** Also the floor of the timeout derived from the delays when the config leaves it out. */
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
  /** A config file is read up to this many bytes; a longer one is refused unread. */
  fileBytesMax: 1_048_576,
  /** Lists and objects inside each other, in JSON and config.py alike (the default config has 3). */
  nestingDepthMax: 32,
  /** Each server is a process on this machine. */
  serversMax: 64,
  /** A DNS name: at most 253 characters in all, 63 per dot-separated label (RFC 1035). */
  hostBytesMax: 253,
  hostLabelBytesMax: 63,
  virtualNodesMax: 1_024,
  keyBytesCeiling: 65_536,
  valueBytesCeiling: 67_108_864,
} as const;
