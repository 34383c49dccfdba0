import test from 'ava';
import {
  ReadCoordination,
  WriteCoordination,
  type CoordinationParams,
} from '../../src/core/coordinator.js';
import type { Version } from '../../src/core/version.js';
import type { CoordinationFactory } from '../../src/node/coordinations.js';
import { checkSeed } from '../../src/sim/run-seeds.js';

// The bug under test: a write coordinator that answers (any level, `all` too) after one ack.
class AnswersAfterFirstAck extends WriteCoordination {
  constructor(params: CoordinationParams, version: Version) {
    super({ ...params, required: Math.min(1, params.required) }, version);
  }
}

const broken: CoordinationFactory = {
  read: (params, readRepair) => new ReadCoordination(params, readRepair),
  write: (params, version) => new AnswersAfterFirstAck(params, version),
};

const seedsMax = 200;

test('a coordinator that answers `all` after the first ack is caught within 200 seeds', async (t) => {
  const overrides = { writeLevels: ['all' as const], readLevels: ['one' as const] };
  let caughtAt: number | undefined;
  for (let seed = 1; seed <= seedsMax && caughtAt === undefined; seed++) {
    const { report } = await checkSeed(seed, overrides, { parts: { coordinations: broken } });
    if (!report.ok) {
      caughtAt = seed;
      const finding = report.findings.find((f) => f.broken);
      t.is(finding?.kind, 'stale-read');
      t.log(`caught at seed ${seed}: ${finding?.message}`);
    }
  }
  t.not(caughtAt, undefined);
});

test('the same seeds with the real coordinator keep the promise', async (t) => {
  const overrides = { writeLevels: ['all' as const], readLevels: ['one' as const] };
  for (let seed = 1; seed <= 50; seed++)
    t.true((await checkSeed(seed, overrides)).report.ok, `seed ${seed}`);
});
