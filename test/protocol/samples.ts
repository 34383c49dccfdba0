import fc from 'fast-check';
import type { SizeLimits } from '../../src/protocol/validate.js';

// Small limits so that oversized keys and values stay small in tests.
export const limits: SizeLimits = { keyBytesMax: 16, valueBytesMax: 32 };
export const ts = { wallMs: 1_700_000_000_000, counter: 2, nodeId: 3 };
export const mac = Buffer.alloc(32, 7);
/** The request types of the data path and of replication between peers. */
export const requestTypes = [
  'get',
  'put',
  'delete',
  'stats',
  'dump',
  'local',
  'read',
  'write',
  'repair',
];

// Types being added for anti-entropy; an unknown one must still fail as BAD_REQUEST only.
export const newerRequestTypes = ['anti-entropy', 'ping', 'tree', 'range'];

/** Every kind of value a decoder or a careless peer could hand over (the fuzz bounds its depth). */
export const anythingConstraints = {
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
} as const;
export const anythingArbitrary = fc.anything(anythingConstraints);
