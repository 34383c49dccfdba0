import type { ClusterConfig } from '../config/types.js';
import type { AntiEntropy } from './anti-entropy.js';
import type { CoordinationFactory } from './coordinations.js';
import type { FailureDetector } from './failure-detector.js';
import type { HandoffOptions, HintedHandoff } from './hints.js';
import type { ReplicaService, ReplicaServiceOptions } from './replica-service.js';
import type { NodeRuntime } from './runtime.js';
import type { purgeTombstones } from './tombstones.js';

/**
 * The seams where the simulator's mutation tests swap in deliberately broken parts, to see the
 * checker catch them (test/sim/broken-*.test.ts). A node process never sets them.
 */
export interface NodeParts {
  coordinations?: CoordinationFactory;
  handoff?: (options: HandoffOptions) => HintedHandoff;
  antiEntropy?: (...args: ConstructorParameters<typeof AntiEntropy>) => AntiEntropy;
  replica?: (options: ReplicaServiceOptions, runtime: NodeRuntime) => ReplicaService;
  detector?: (peers: readonly number[], config: ClusterConfig) => FailureDetector;
  purge?: typeof purgeTombstones;
}
