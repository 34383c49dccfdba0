// The history parser of `quartet check`: JSON lines of meta, invoke, complete, fault and dump.
import fc from 'fast-check';
import { parseHistory } from '../../../src/check/parse-history.js';
import { mutatedTextArbitrary } from '../mutate.js';
import { acceptOrReject, check } from '../oracle.js';
import { anythingArbitrary } from '../samples.js';
import { defineTarget } from '../target.js';

const ts = { wallMs: 1, counter: 0, nodeId: 1 };
const operation = { time: 1, id: 1, client: 'c1', node: 1, op: 'insert', key: 'k', level: 'all' };
const validRecords: Record<string, unknown>[] = [
  {
    type: 'meta',
    format: 'quartet-history',
    version: 1,
    source: 'sim',
    nodes: [1, 2, 3, 4],
    replicationFactor: 3,
    virtualNodes: 64,
    readRepair: 'background',
    durable: true,
    initiallyEmpty: true,
    seed: 7,
  },
  { type: 'invoke', ...operation, value: 'v' },
  {
    type: 'complete',
    ...operation,
    result: { ok: true, value: 'v', found: true },
    ts,
    replicas: [{ node: 1, state: 'fresh', ts }],
  },
  { type: 'complete', ...operation, result: { ok: false, error: 'TIMEOUT', message: 'slow' } },
  {
    type: 'fault',
    time: 2,
    fault: 'partition',
    groups: [
      [1, 2],
      [3, 4],
    ],
  },
  { type: 'quiet', time: 3 },
  { type: 'dump', time: 4, node: 1, entries: [{ key: 'k', value: null, ts }] },
];
const validLines = validRecords.map((record) => JSON.stringify(record));

const historyArbitrary = fc.oneof(
  fc.array(fc.constantFrom(...validLines), { maxLength: 6 }).map((lines) => lines.join('\n')),
  mutatedTextArbitrary([validLines.join('\n'), ...validLines]),
  fc
    .tuple(
      fc.constantFrom(...validRecords),
      fc.constantFrom(...Object.keys(operation), 'result', 'ts', 'type'),
      anythingArbitrary,
    )
    .map(([record, field, value]) => {
      try {
        return JSON.stringify({ ...record, [field]: value }) ?? '';
      } catch {
        // BigInt values cannot be written as JSON: the record without the field.
        return JSON.stringify(record);
      }
    }),
  fc.string({ unit: 'binary', maxLength: 120 }),
);

export const historyTarget = defineTarget({
  name: 'history',
  description: 'history JSON lines through parseHistory',
  arbitrary: historyArbitrary,
  run(text: string) {
    const records = acceptOrReject(() => parseHistory(text, 'fuzz.jsonl'), ['BAD_REQUEST']);
    if (records === undefined) return;
    const lines = text.split('\n').filter((line) => line.trim() !== '').length;
    check(records.length === lines, `accepted ${lines} lines as ${records.length} records`);
  },
});
