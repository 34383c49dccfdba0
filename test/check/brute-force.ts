import { versionKey, versionOf } from '../../src/check/context.js';
import type { Operation } from '../../src/check/operations.js';

/**
 * Linearizability of a register by exhaustive search (for small histories only): is there an
 * order of the operations, respecting real time, where every read returns the last write before
 * it? Acknowledged writes and successful reads must appear; unacknowledged writes may or may not.
 */
export function linearizableByBruteForce(operations: readonly Operation[]): boolean {
  const ops = operations.filter((op) => op.isWrite || op.ok);
  if (ops.length > 20) throw new Error('Too many operations for the brute-force check.');
  const required = ops.map((op) => !op.isWrite || op.ok);
  const end = (op: Operation) => (op.ok ? op.completeMs : Infinity);
  const identity = ops.map((op) => versionKey(versionOf(op)));
  const requiredMask = required.reduce((mask, r, i) => (r ? mask | (1 << i) : mask), 0);
  const failed = new Set<string>();
  const search = (done: number, current: string): boolean => {
    if ((done & requiredMask) === requiredMask) return true;
    const state = `${done}:${current}`;
    if (failed.has(state)) return false;
    for (let i = 0; i < ops.length; i++) {
      if (done & (1 << i)) continue;
      const op = ops[i]!;
      // Every operation that ended before this one began must already be in the order.
      const blocked = ops.some(
        (other, j) => j !== i && !(done & (1 << j)) && required[j] && end(other) < op.invokeMs,
      );
      if (blocked) continue;
      if (op.isWrite) {
        if (search(done | (1 << i), identity[i]!)) return true;
      } else if (identity[i] === current && search(done | (1 << i), current)) {
        return true;
      }
    }
    failed.add(state);
    return false;
  };
  return search(0, versionKey(undefined));
}
