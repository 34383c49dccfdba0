import test from 'ava';
import type { FindingKind } from '../../src/check/report.js';
import { decideWrite } from '../../src/core/replica.js';
import type { Version } from '../../src/core/version.js';
import { AntiEntropy, type AntiEntropyPeer } from '../../src/node/anti-entropy.js';
import type { WriteAck } from '../../src/node/coordinator-host.js';
import { FailureDetector } from '../../src/node/failure-detector.js';
import { HintedHandoff } from '../../src/node/hints.js';
import type { NodeParts } from '../../src/node/node-parts.js';
import { ReplicaService, type ReplicaServiceOptions } from '../../src/node/replica-service.js';
import type { NodeRuntime } from '../../src/node/runtime.js';
import { purgeTombstones } from '../../src/node/tombstones.js';
import type { ScenarioOverrides } from '../../src/sim/random-scenario.js';
import type { RunOptions } from '../../src/sim/run-scenario.js';
import { checkSeed } from '../../src/sim/run-seeds.js';

// Mutation tests of the recovery machinery: each deliberately broken part, run in the simulator
// as every node's own, must be caught by the checker within a bounded number of seeds, and the
// same seeds with the real parts must keep every promise.

const seedsMax = 300;

interface Mutation {
  name: string;
  parts: NodeParts;
  overrides: ScenarioOverrides;
  run?: Pick<RunOptions, 'finalAntiEntropy'>;
  /** The findings that catch it. */
  kinds: FindingKind[];
}

class NeverReplays extends HintedHandoff {
  override replay(): Promise<{ delivered: number; expired: number; refused: number }> {
    return Promise.resolve({ delivered: 0, expired: 0, refused: 0 });
  }
}

// Takes the peer's newer versions but never pushes its own.
class PullsOnly extends AntiEntropy {
  override repairWith(peerId: number, peer: AntiEntropyPeer, depth?: number) {
    const pullOnly: AntiEntropyPeer = {
      tree: (d) => peer.tree(d),
      range: (d, leaves) => peer.range(d, leaves),
      push: () => Promise.resolve({ created: false, applied: false }),
    };
    return super.repairWith(peerId, pullOnly, depth);
  }
}

// Answers a write at once with the ack it will deserve, and applies it a while later.
class AcksBeforeApplying extends ReplicaService {
  readonly #options: ReplicaServiceOptions;
  readonly #runtime: NodeRuntime;
  constructor(options: ReplicaServiceOptions, runtime: NodeRuntime) {
    super(options);
    this.#options = options;
    this.#runtime = runtime;
  }
  override apply(key: string, version: Version, origin?: string): WriteAck {
    const held = this.#options.store.get(key);
    const decision = decideWrite(held, version);
    this.#runtime.setTimer(50, () => void super.apply(key, version, origin));
    const ack: WriteAck = { created: decision.created, applied: decision.apply };
    if (held !== undefined) ack.before = held.ts;
    return ack;
  }
}

const mutations: Mutation[] = [
  {
    name: 'hints never replayed',
    parts: { handoff: (options) => new NeverReplays(options) },
    // Partitions alone: every write a replica missed has a live coordinator keeping its hint.
    overrides: { faultKinds: ['partition'], durable: true },
    run: { finalAntiEntropy: false },
    kinds: ['not-recovered'],
  },
  {
    name: 'anti-entropy streaming one way only',
    parts: { antiEntropy: (...args) => new PullsOnly(...args) },
    overrides: { readRepair: 'off' },
    kinds: ['not-recovered'],
  },
  {
    name: 'purge ignoring that every replica must hold the tombstone',
    parts: {
      purge: (options) =>
        purgeTombstones({ ...options, isAvailable: () => true, readFrom: async () => undefined }),
    },
    overrides: { tombstoneGraceDelays: 20 },
    kinds: ['resurrected-delete', 'lost-write', 'not-linearizable', 'stale-read'],
  },
  {
    name: 'a replica acknowledging a write before applying it',
    parts: { replica: (options, runtime) => new AcksBeforeApplying(options, runtime) },
    overrides: { writeLevels: ['all'], readLevels: ['one'] },
    kinds: ['stale-read', 'not-linearizable', 'lost-write'],
  },
  {
    name: 'a failure detector that marks a healthy slow peer down',
    parts: {
      detector: (peers, config) =>
        new FailureDetector(peers, {
          suspectAfterMs: config.heartbeatIntervalMs / 2,
          downAfterMs: config.heartbeatIntervalMs,
        }),
    },
    overrides: { faults: false },
    kinds: ['unavailable-healthy'],
  },
];

for (const mutation of mutations) {
  test(`${mutation.name}: caught within ${seedsMax} seeds`, async (t) => {
    let caughtAt: number | undefined;
    for (let seed = 1; seed <= seedsMax && caughtAt === undefined; seed++) {
      const run = { ...mutation.run, parts: mutation.parts };
      const { report } = await checkSeed(seed, mutation.overrides, run);
      if (report.ok) continue;
      caughtAt = seed;
      const finding = report.findings.find((f) => f.broken)!;
      t.true(mutation.kinds.includes(finding.kind), `${finding.kind}: ${finding.message}`);
      t.log(`caught at seed ${seed}: ${finding.kind}: ${finding.message}`);
    }
    t.not(caughtAt, undefined);
    // The real parts keep the promise on the seeds it took.
    for (let seed = 1; seed <= (caughtAt ?? 0); seed++) {
      const { report } = await checkSeed(seed, mutation.overrides, mutation.run ?? {});
      const finding = report.findings.find((f) => f.broken);
      t.true(report.ok, `seed ${seed}: ${finding?.kind}: ${finding?.message}`);
    }
  });
}
