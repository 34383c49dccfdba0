import {
  ReadCoordination,
  WriteCoordination,
  type CoordinationParams,
  type ReadRepairMode,
} from '../core/coordinator.js';
import type { Version } from '../core/version.js';

/** Builds the core's coordinations; the simulator's mutation tests swap in a broken one. */
export interface CoordinationFactory {
  read(params: CoordinationParams, readRepair: ReadRepairMode): ReadCoordination;
  write(params: CoordinationParams, version: Version): WriteCoordination;
}

/** The same coordinator classes the real nodes run. */
export const coreCoordinations: CoordinationFactory = {
  read: (params, readRepair) => new ReadCoordination(params, readRepair),
  write: (params, version) => new WriteCoordination(params, version),
};
