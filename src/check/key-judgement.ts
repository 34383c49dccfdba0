import type { LevelName } from '../core/levels.js';
import type { CheckContext } from './context.js';
import { quorumsOverlap, readsOverlap } from './levels.js';
import { checkLinearizable } from './linearizability.js';
import type { Operation } from './operations.js';
import type { Finding, KeyRow } from './report.js';

/**
 * Runs the linearizability check on one key when every write/read level pair it uses has
 * W + R > RF, and tallies it in the row of its levels. Linearizability is promised only with
 * blocking read repair and 2R > RF as well, and never against timestamp order.
 */
export function judgeLinearizability(
  key: string,
  ops: readonly Operation[],
  context: CheckContext,
  rows: Map<string, KeyRow>,
  findings: Finding[],
): void {
  const rf = context.meta.replicationFactor;
  const writeLevels = distinct(ops.filter((op) => op.isWrite).map((op) => op.level));
  const readLevels = distinct(ops.filter((op) => !op.isWrite && !op.final).map((op) => op.level));
  const judgedReads: LevelName[] = readLevels.length > 0 ? readLevels : ['all'];
  const checked = writeLevels.every((w) => judgedReads.every((r) => quorumsOverlap(w, r, rf)));
  if (!checked) return;
  const promised =
    context.meta.readRepair === 'blocking' && judgedReads.every((r) => readsOverlap(r, rf));
  const levels =
    writeLevels.length > 1 || readLevels.length > 1
      ? 'mixed'
      : `${writeLevels[0] ?? '-'}/${readLevels[0] ?? '-'}`;
  let row = rows.get(levels);
  if (row === undefined) {
    row = {
      replicationFactor: rf,
      levels,
      keys: 0,
      promisedKeys: 0,
      nonLinearizable: 0,
      nonLinearizablePromised: 0,
      causes: {},
      broken: 0,
    };
    rows.set(levels, row);
  }
  row.keys++;
  if (promised) row.promisedKeys++;
  const violations = checkLinearizable(key, ops, context);
  if (violations.length === 0) return;
  row.nonLinearizable++;
  if (promised) row.nonLinearizablePromised++;
  let keyBroken = false;
  for (const [index, violation] of violations.entries()) {
    const alwaysWrong = violation.cause === 'future-read' || violation.cause === 'phantom-read';
    const broken =
      alwaysWrong || (promised && !violation.duringCrash && violation.cause !== 'timestamp-order');
    keyBroken ||= broken;
    if (index === 0) row.causes[violation.cause] = (row.causes[violation.cause] ?? 0) + 1;
    // The first violation of a key names it; later ones only when they break a promise.
    if (index > 0 && !broken) continue;
    findings.push({
      kind: 'not-linearizable',
      key,
      cause: violation.cause,
      operations: violation.operations.map((op) => op.id),
      message: violation.message,
      broken,
      ...(broken ? {} : { excuse: excuseFor(violation.cause, promised, violation.duringCrash) }),
    });
  }
  if (keyBroken) row.broken++;
}

function excuseFor(cause: string, promised: boolean, duringCrash: boolean): string {
  if (cause === 'timestamp-order')
    return 'timestamp order (last write wins), not a promise of the levels';
  if (duringCrash) return 'a replica crashed in its window';
  if (!promised) return 'linearizability needs blocking read repair and 2R > RF too';
  return '';
}

function distinct(levels: LevelName[]): LevelName[] {
  return [...new Set(levels)].sort();
}
