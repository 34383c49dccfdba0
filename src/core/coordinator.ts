// The coordinator of one request, as state machines: the shared base and the two kinds.
export * from './coordination.js';
export { ReadCoordination } from './read-coordination.js';
export { WriteCoordination } from './write-coordination.js';
