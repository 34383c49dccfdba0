import type { OpRecord } from './records.js';
import type { CompleteRecord, InvokeRecord } from '../check/history.js';

/**
 * The history records of one command a real cluster ran, for `quartet up/run --history`: the
 * orchestrator keeps the time it sent the command (ms since the session began) and passes the
 * result record it printed. Both lines may be written when the result arrives.
 */
export function historyFromOpRecord(
  record: OpRecord,
  invokeMs: number,
  client = 'cli',
): [InvokeRecord, CompleteRecord] {
  const base = { id: record.seq, client, node: record.node, op: record.op, key: record.key };
  const invoke: InvokeRecord =
    record.op === 'get'
      ? { type: 'invoke', time: invokeMs, ...base, level: record.level }
      : { type: 'invoke', time: invokeMs, ...base, value: record.value, level: record.level };
  const complete: CompleteRecord = {
    type: 'complete',
    time: Math.round((invokeMs + record.latencyMs) * 1000) / 1000,
    ...base,
    level: record.level,
    result: record.ok
      ? { ok: true, value: record.value, found: record.found }
      : {
          ok: false,
          error: record.error?.code ?? 'INTERNAL',
          ...(record.error === undefined ? {} : { message: record.error.message }),
        },
  };
  if (record.ts !== undefined) complete.ts = record.ts;
  if (record.ok)
    complete.replicas = record.replicas.map(({ node, state, ts }) =>
      ts === undefined ? { node, state } : { node, state, ts },
    );
  return [invoke, complete];
}
