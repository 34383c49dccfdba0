// Valid inputs of each format: what the mutators start from and the arbitraries build on.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { levelNames } from '../../src/core/levels.js';
import type { SizeLimits } from '../../src/protocol/validate.js';
import { anythingConstraints, ts } from '../protocol/samples.js';

/** The repository root, from dist/test/fuzz/ where the compiled fuzzer runs. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Small limits so that keys and values over them stay small. */
export const fuzzLimits: SizeLimits = { keyBytesMax: 16, valueBytesMax: 32 };
/** The decoder's frame limit in the fuzz: small, so oversize frames are cheap to make. */
export const fuzzFrameBytesMax = 256;

export { ts };

/** Every kind of value a decoder or a careless peer could hand over, three levels deep. */
export const anythingArbitrary = fc.anything({ ...anythingConstraints, maxDepth: 3 });

export const validClientRequests: unknown[] = [
  { type: 'get', id: 1, key: 'k', level: 'quorum' },
  { type: 'get', id: 2, key: 'key-2' },
  { type: 'put', id: 3, op: 'insert', key: 'k', value: 'v', level: 'all' },
  { type: 'put', id: 4, op: 'update', key: 'k', value: '' },
  { type: 'delete', id: 5, key: 'k', level: 'one' },
  { type: 'stats', id: 6 },
  { type: 'dump', id: 7 },
  { type: 'local', id: 8, key: 'k' },
  { type: 'anti-entropy', id: 9, peers: [1, 2] },
  { type: 'auth', from: 2, mac: new Uint8Array(32).fill(7) },
  { type: 'read', id: 10, key: 'k' },
  { type: 'write', id: 11, key: 'k', version: { value: 'v', ts } },
  { type: 'repair', id: 12, key: 'k', version: { value: null, ts } },
  { type: 'tree', id: 13, depth: 4 },
  { type: 'range', id: 14, depth: 4, leaves: [0, 3, 15] },
];

/** A client's get, put and delete in their positional form (src/protocol/request-wire.ts). */
export const validClientArrays: unknown[][] = [
  [11, 21, 'k', 'quorum'],
  [11, 22, 'key-2', null],
  [12, 23, 'k', 'v', 'all'],
  [13, 24, 'k', '', null, 7],
  [14, 25, 'k', 'one'],
];

export const validPeerArrays: unknown[][] = [
  [1, 1, 'k'],
  [2, 2, 'k', 'v', ts.wallMs, ts.counter, ts.nodeId],
  [3, 3, 'k', null, ts.wallMs, ts.counter, ts.nodeId],
  [4, 4],
];

export const validPeerReplies: unknown[] = [
  [5, 1],
  [5, 2, 'v', ts.wallMs, ts.counter, ts.nodeId],
  [6, 3, true, false],
  [6, 4, false, true, ts.wallMs, ts.counter, ts.nodeId],
  { type: 'read-reply', id: 5, version: { value: 'v', ts } },
  { type: 'write-reply', id: 6, created: true, applied: true, before: ts },
  { type: 'tree-reply', id: 7, depth: 1, nodes: [1, 2, 3, 4] },
  { type: 'range-reply', id: 8, served: 1, entries: [{ key: 'k', version: { value: 'v', ts } }] },
  { type: 'error', id: 9, error: { code: 'TIMEOUT', message: 'slow' } },
];

export const validResults: unknown[][] = [
  // prettier-ignore
  [1, 1, 'quorum', 2, 2, true, 'v', 1, 0, 1, [
    1, 0, 1, 0, 1, null,
    2, 1, 1, 0, 0, true,
    3, 3, null, null, null, null,
  ]],
  // prettier-ignore
  [1, 2, 'all', 3, 3, false, null, null, null, null, [
    1, 2, null, null, null, null,
    2, 2, null, null, null, false,
    4, 4, null, null, null, null,
  ]],
];

/** Untrusted-ish versions of each field: mostly right, sometimes anything. */
export const nearKeyArbitrary = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  anythingArbitrary,
);
export const nearCountArbitrary = fc.oneof(
  fc.nat(),
  fc.constantFrom(-1, -0, 0.5, Number.MAX_SAFE_INTEGER + 1, NaN, Infinity),
  fc.bigInt(),
  anythingArbitrary,
);
export const nearLevelArbitrary = fc.oneof(fc.constantFrom(...levelNames), anythingArbitrary);

function readExamples(folder: string, extension: string): string[] {
  const dir = `${repoRoot}${folder}`;
  return readdirSync(dir)
    .filter((name) => name.endsWith(extension))
    .map((name) => readFileSync(`${dir}/${name}`, 'utf8'));
}

/** The repository's own batch files, line by line, and its configs. */
export const exampleBatchTexts = readExamples('examples', '.kv');
export const exampleJsonConfigs = readExamples('configs', '.json');
export const examplePythonConfigs = readExamples('configs', '.py');
