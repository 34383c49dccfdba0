import type { ExecutionContext } from 'ava';
import fc from 'fast-check';
import type { Timestamp } from '../../src/core/clock.js';
import {
  ReadCoordination,
  WriteCoordination,
  type CoordinatorAction,
  type ReadRepairMode,
} from '../../src/core/coordinator.js';
import type { ErrorRecord } from '../../src/core/errors.js';
import { requiredAnswers, type LevelName } from '../../src/core/levels.js';
import type { DataOp, OpResult, RepairEvent } from '../../src/core/messages.js';
import type { Version } from '../../src/core/version.js';
import { value } from './arbitraries.js';

// Shared by the coordinator suites: one key on replicas 1, 2 and 3, coordinated by node 1.
export const key = 'k';
export const coordinator = 1;
export const replicas = [1, 2, 3];
function paramsFor(op: DataOp, level: LevelName, down: number[]) {
  return {
    op,
    key,
    level,
    coordinator,
    replicas,
    required: requiredAnswers(level, replicas.length),
    down: new Set(down),
  };
}

export function writeAt(
  level: LevelName,
  version: Version,
  down: number[] = [],
): WriteCoordination {
  const op: DataOp = version.value === null ? 'delete' : 'insert';
  return new WriteCoordination(paramsFor(op, level, down), version);
}

export function readAt(
  level: LevelName,
  mode: ReadRepairMode = 'background',
  down: number[] = [],
): ReadCoordination {
  return new ReadCoordination(paramsFor('get', level, down), mode);
}

export const typesOf = (actions: CoordinatorAction[]) => actions.map((action) => action.type);

export function resultOf(t: ExecutionContext, actions: CoordinatorAction[]): OpResult {
  const responds = actions.filter((action) => action.type === 'respond');
  t.is(responds.length, 1, `expected one respond in ${JSON.stringify(typesOf(actions))}`);
  return responds[0]!.result;
}

export function errorOf(t: ExecutionContext, actions: CoordinatorAction[]): ErrorRecord {
  const fails = actions.filter((action) => action.type === 'fail');
  t.is(fails.length, 1, `expected one fail in ${JSON.stringify(typesOf(actions))}`);
  return fails[0]!.error;
}

/** The replicas' answers a failure carried, as `n1 fresh` strings, and its acks. */
export function failedReplicasOf(t: ExecutionContext, actions: CoordinatorAction[]) {
  const fails = actions.filter((action) => action.type === 'fail');
  t.is(fails.length, 1, `expected one fail in ${JSON.stringify(typesOf(actions))}`);
  const { result } = fails[0]!;
  return {
    acks: result.acks,
    required: result.required,
    replicas: result.replicas.map((replica) => `n${replica.node} ${replica.state}`),
  };
}

export const repair = (to: number, version: Version): CoordinatorAction => ({
  type: 'repair',
  to,
  version,
});

export function repairEvent(node: number, to: Timestamp, applied: boolean, from?: Timestamp) {
  const event: RepairEvent = { key, node, coordinator, to, applied };
  if (from !== undefined) event.from = from;
  return { type: 'repair-event' as const, event };
}

/** Two versions of the key: `old` as a lagging replica holds it, `fresh` as written later. */
export const old = value('old', 100);
export const fresh = value('new', 200, 0, 2);

export const answerOrderArbitrary = fc.shuffledSubarray(replicas, { minLength: replicas.length });
