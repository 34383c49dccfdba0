import type {
  CommandRecord,
  NodeStatus,
  OpRecord,
  RepairRecord,
} from '../../../src/orchestrator/records.js';

const ts = (wallMs: number, nodeId: number) => ({ wallMs, counter: 0, nodeId });
const longValue = 'a value long enough to be cut in every table it appears in, '.repeat(3);
const longKey = 'user:2024:settings:notifications:email';

/** Results as a 4-node cluster gives them: a write, a stale read, a long key, a failure. */
export const opRecords: OpRecord[] = [
  {
    type: 'op',
    seq: 1,
    node: 1,
    op: 'insert',
    key: '5',
    level: 'one',
    ok: true,
    value: '1',
    found: false,
    latencyMs: 4.25,
    acks: 1,
    required: 1,
    ts: ts(1_700_000_000_000, 1),
    replicas: [
      { node: 1, state: 'fresh', created: true },
      { node: 2, state: 'pending' },
      { node: 3, state: 'pending' },
    ],
  },
  {
    type: 'op',
    seq: 2,
    node: 2,
    op: 'get',
    key: '5',
    level: 'quorum',
    ok: true,
    value: longValue,
    found: true,
    latencyMs: 1234.5,
    acks: 2,
    required: 2,
    replicas: [
      { node: 1, state: 'stale' },
      { node: 2, state: 'fresh' },
      { node: 3, state: 'missing' },
    ],
  },
  {
    type: 'op',
    seq: 3,
    node: 4,
    op: 'update',
    key: longKey,
    level: 'all',
    ok: true,
    value: longValue,
    found: false,
    latencyMs: 2200,
    acks: 3,
    required: 3,
    replicas: [
      { node: 2, state: 'fresh', created: true },
      { node: 3, state: 'fresh', created: true },
      { node: 4, state: 'fresh', created: true },
    ],
  },
  {
    type: 'op',
    seq: 4,
    node: 3,
    op: 'delete',
    key: longKey,
    level: 'all',
    ok: false,
    value: null,
    found: false,
    latencyMs: 5001,
    acks: 1,
    required: 3,
    error: {
      code: 'TIMEOUT',
      message:
        'Only 1 of 3 replicas answered within requestTimeoutMs (5000 ms); the write may still have been applied on the replicas that got it.',
    },
    replicas: [
      { node: 2, state: 'fresh' },
      { node: 3, state: 'down' },
      { node: 4, state: 'pending' },
    ],
  },
];

export const repairRecord: RepairRecord = {
  type: 'repair',
  seq: 2,
  line: 12,
  node: 2,
  key: longKey,
  replica: 1,
  from: ts(1_700_000_000_000, 1),
  to: { wallMs: 1_700_000_003_000, counter: 7, nodeId: 4 },
  applied: true,
};

const states: NodeStatus['state'][] = [
  'up',
  'up',
  'paused',
  'up',
  'down',
  'up',
  'unreachable',
  'up',
];

/** An 8-node cluster's status: some nodes down or paused, peers suspect, hints kept. */
export const status8: NodeStatus[] = states.map((state, i) => {
  const id = i + 1;
  const up = state === 'up';
  return {
    id,
    address: `127.0.0.1:${10000 + i}`,
    pid: state === 'down' ? null : 41000 + id,
    state,
    keys: up ? 123456 : null,
    tombstones: up ? 789 : null,
    peers: up
      ? [1, 2, 3, 4, 5, 6, 7, 8]
          .filter((n) => n !== id)
          .map((node) => ({
            node,
            state: node === 5 || node === 7 ? 'down' : node === 3 ? 'suspect' : 'up',
            lastHeardAgoMs: node === 5 ? null : node * 1300,
          }))
      : null,
    hints: up
      ? [
          { node: 5, hints: 1200 },
          { node: 7, hints: 3 },
        ]
      : null,
    store: up ? 'lmdb, durability batch' : null,
    pendingRepairs: up ? 4 : null,
  } as NodeStatus;
});

const command = (fields: Partial<CommandRecord>): CommandRecord => ({
  type: 'command',
  seq: 10,
  node: 1,
  op: 'status',
  ok: true,
  latencyMs: 3,
  ...fields,
});

/** Every command table: status, status N, show-all, search, repair, and a failed command. */
export const commandRecords: CommandRecord[] = [
  command({ status: status8 }),
  command({ status: [status8[0]!] }),
  command({
    op: 'show-all',
    contents: [
      {
        node: 1,
        state: 'up',
        entries: [
          { key: longKey, value: longValue, ts: ts(1_700_000_000_000, 1) },
          { key: '5', value: null, ts: ts(1_700_000_000_000, 2) },
        ],
      },
      { node: 2, state: 'up', entries: [] },
      { node: 3, state: 'down', entries: [] },
    ],
  }),
  command({
    op: 'search',
    search: {
      key: longKey,
      replicas: [
        { node: 1, state: 'holds', value: longValue, ts: ts(1_700_000_000_000, 1) },
        { node: 2, state: 'tombstone', value: null, ts: ts(1_700_000_000_000, 2) },
        { node: 3, state: 'unreachable' },
      ],
    },
  }),
  command({
    op: 'repair',
    antiEntropy: [
      {
        node: 1,
        peer: 2,
        rangesCompared: 1024,
        rangesDiffering: 17,
        keysReceived: 1500,
        keysSent: 2,
        durationMs: 840,
      },
      {
        node: 1,
        peer: 3,
        rangesCompared: 0,
        rangesDiffering: 0,
        keysReceived: 0,
        keysSent: 0,
        durationMs: 5000,
        error: {
          code: 'NODE_UNREACHABLE',
          message:
            'Node 3 did not answer the anti-entropy request within 5000 ms; it may be down or paused.',
        },
      },
    ],
  }),
  command({
    op: 'use',
    ok: false,
    error: {
      code: 'BAD_COMMAND',
      message:
        'There is no node 9; the nodes are 1, 2, 3, 4, 5, 6, 7, 8. Type `status` to see them.',
    },
  }),
];
