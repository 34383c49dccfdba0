import type { Assertion } from '../commands.js';
import type { CommandRecord, OpRecord, RepairRecord } from '../records.js';
import { describeAssertion } from './describe.js';
import type { WaitOutcome } from './repair-log.js';
import type { AssertionResult } from './types.js';

export interface CheckContext {
  /** Waits (bounded) until `matches` holds for this read's repairs, or no repair can come. */
  waitForRepairs: (matches: (repairs: readonly RepairRecord[]) => boolean) => Promise<WaitOutcome>;
  boundMs: number;
}

/**
 * Checks what a line asserts against its record. Value, missing, ok and error are decided at
 * once; `stale N` and `repaired N` may wait for the read's repairs (bounded).
 */
export function checkAssertions(
  assertions: readonly Assertion[],
  record: OpRecord | CommandRecord,
  context: CheckContext,
): Promise<AssertionResult[]> {
  return Promise.all(
    assertions.map(async (assertion) => {
      const text = describeAssertion(assertion);
      const failure = await findFailure(assertion, record, context);
      return failure === undefined ? { text, ok: true } : { text, ok: false, message: failure };
    }),
  );
}

// Undefined when the assertion holds; otherwise why it does not, in the user's words.
async function findFailure(
  assertion: Assertion,
  record: OpRecord | CommandRecord,
  context: CheckContext,
): Promise<string | undefined> {
  const failed = record.ok
    ? undefined
    : `${record.error?.code ?? 'ERROR'}: ${record.error?.message ?? ''}`;
  switch (assertion.kind) {
    case 'ok':
      return failed === undefined ? undefined : `expected ok, the command failed with ${failed}`;
    case 'error':
      if (failed === undefined) {
        return `expected ${assertion.code === undefined ? 'an error' : `error ${assertion.code}`}, the command succeeded`;
      }
      if (assertion.code !== undefined && record.error?.code !== assertion.code) {
        return `expected error ${assertion.code}, got ${failed}`;
      }
      return undefined;
    case 'value':
    case 'missing': {
      const expected = assertion.kind === 'value' ? JSON.stringify(assertion.value) : 'missing';
      if (failed !== undefined) return `expected ${expected}, the command failed with ${failed}`;
      if (record.type !== 'op') return `expected ${expected}, but \`${record.op}\` reads nothing`;
      const read = record.found ? JSON.stringify(record.value) : 'nothing (not found)';
      const holds =
        assertion.kind === 'value'
          ? record.found && record.value === assertion.value
          : !record.found;
      return holds ? undefined : `expected ${expected}, read ${read}`;
    }
    case 'stale':
      return checkStale(assertion.node, record, context);
    case 'repaired':
      return checkRepaired(assertion.node, record, context);
  }
}

// Stale in that read: it answered stale or missing, or answered late and was sent a repair.
async function checkStale(
  node: number,
  record: OpRecord | CommandRecord,
  context: CheckContext,
): Promise<string | undefined> {
  const state = replicaState(record, node);
  if (state === 'stale' || state === 'missing') return undefined;
  if (state === 'down')
    return `n${node} was down in that read: it did not answer, so it was not seen stale`;
  const outcome = await context.waitForRepairs((repairs) =>
    repairs.some((r) => r.replica === node),
  );
  if (outcome === 'matched') return undefined;
  const seen = state === undefined ? 'did not answer' : `answered ${state}`;
  return outcome === 'timeout'
    ? `n${node} ${seen} and no read repair to it was reported within ${context.boundMs} ms`
    : `n${node} ${seen}, and no read repair was sent to it: its answer was as new as the newest`;
}

async function checkRepaired(
  node: number,
  record: OpRecord | CommandRecord,
  context: CheckContext,
): Promise<string | undefined> {
  let repair: RepairRecord | undefined;
  const outcome = await context.waitForRepairs((repairs) => {
    repair = repairs.find((r) => r.replica === node);
    return repair !== undefined;
  });
  if (repair !== undefined) {
    if (repair.applied) return undefined;
    if (repair.error !== undefined) {
      return `the read repair of n${node} failed: ${repair.error.code}: ${repair.error.message}`;
    }
    return `a read repair was sent to n${node} but not applied: it already had that version or a newer one`;
  }
  const state = replicaState(record, node);
  const seen = state === undefined ? '' : ` (it answered ${state})`;
  return outcome === 'timeout'
    ? `no read repair of n${node} was reported within ${context.boundMs} ms${seen}`
    : `the read finished without repairing n${node}${seen}`;
}

function replicaState(record: OpRecord | CommandRecord, node: number): string | undefined {
  if (record.type !== 'op') return undefined;
  return record.replicas.find((replica) => replica.node === node)?.state;
}
