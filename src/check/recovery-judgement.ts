import type { CheckContext } from './context.js';
import { describeOperation } from './describe.js';
import { findDivergences, type Divergence } from './final-state.js';
import type { ParsedHistory } from './operations.js';
import type { Finding } from './report.js';

/**
 * What recovery promises: no healthy peer taken for down, and every replica of every key holding
 * the same version once the cluster healed, hints were replayed and one anti-entropy round ran
 * (the `repaired` dumps, before any final read). Returns the keys that had not recovered.
 */
export function judgeRecovery(
  history: ParsedHistory,
  context: CheckContext,
  findings: Finding[],
): Divergence[] {
  // Without any crash, partition or loss, every peer is up: a failure detector that reports one
  // down (UNAVAILABLE) marked a healthy, maybe slow, peer down.
  const firstFaultMs = Math.min(
    Infinity,
    ...history.faults
      .filter((f) => f.fault === 'crash' || f.fault === 'partition' || f.fault === 'loss')
      .map((f) => f.time),
  );
  for (const op of history.operations) {
    if (op.ok || op.error !== 'UNAVAILABLE' || op.completeMs >= firstFaultMs || op.final) continue;
    findings.push({
      kind: 'unavailable-healthy',
      key: op.key,
      operations: [op.id],
      message: `${describeOperation(op)} failed as UNAVAILABLE though no node had crashed and no link was cut or lossy: a healthy peer was taken for down.`,
      broken: true,
    });
  }

  // Recovery promises that every replica holds the same version once the cluster healed, the
  // hints were replayed and one anti-entropy round ran: judged before any final read repaired.
  const unrecovered = findDivergences(history.repairedDumps, history.byKey.keys(), context);
  for (const divergence of unrecovered) {
    findings.push({
      kind: 'not-recovered',
      key: divergence.key,
      operations: [],
      message: `After the final heal, hinted handoff and an anti-entropy round, before any final read, the replicas differ: ${divergence.versions.map((v) => `n${v.node}=${v.version}`).join(', ')}.`,
      broken: true,
    });
  }
  return unrecovered;
}

export // The warning of a replica of `key` that restarted after being down longer than the grace.
function zombieWarning(
  key: string,
  context: CheckContext,
  history: ParsedHistory,
): string | undefined {
  const replicas = context.replicasOf(key);
  return history.faults.find(
    (fault) =>
      fault.fault === 'restart' &&
      fault.warning !== undefined &&
      (replicas === undefined || replicas.includes(fault.node ?? -1)),
  )?.warning;
}
