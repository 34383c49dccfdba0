import { compareTimestamps } from '../../src/core/clock.js';
import type { HistoryRecord } from '../../src/check/history.js';
import type { Trace } from '../../src/trace/trace-format.js';

/** The history a producer would write beside a trace (ids shared), for the checker's findings. */
export function historyOfTrace(trace: Trace): HistoryRecord[] {
  const { nodes, replicationFactor } = trace.meta;
  const records: HistoryRecord[] = [
    {
      type: 'meta',
      format: 'quartet-history',
      version: 1,
      source: 'sim',
      nodes,
      replicationFactor,
      virtualNodes: 8,
      readRepair: 'background',
      durable: true,
      initiallyEmpty: true,
    },
  ];
  const invokes = new Map<number, Extract<HistoryRecord, { type: 'invoke' }>>();
  for (const event of trace.events) {
    const time = event.t / 1000;
    if (event.type === 'op-invoke') {
      const invoke: Extract<HistoryRecord, { type: 'invoke' }> = {
        type: 'invoke',
        time,
        id: event.op,
        client: event.client,
        node: event.node,
        op: event.kind,
        key: event.key,
        level: event.level,
        ...(event.value === undefined ? {} : { value: event.value }),
      };
      invokes.set(event.op, invoke);
      records.push(invoke);
    } else if (event.type === 'op-complete') {
      const invoke = invokes.get(event.op);
      if (invoke === undefined) continue;
      const stamps = event.replicas.flatMap((note) => (note.ts === undefined ? [] : [note.ts]));
      const newest = stamps.sort(compareTimestamps).at(-1);
      const { type: _type, time: _time, value: _value, ...fields } = invoke;
      records.push({
        ...fields,
        type: 'complete',
        time,
        result: event.ok
          ? { ok: true, value: event.value ?? null, found: event.found ?? false }
          : { ok: false, error: event.error?.code ?? 'TIMEOUT' },
        replicas: event.replicas,
        ...(newest === undefined ? {} : { ts: newest }),
      });
    }
  }
  return records;
}
