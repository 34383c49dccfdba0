import type { ExecutionContext } from 'ava';
import type { Trace } from '../../src/trace/trace-format.js';

/**
 * What every produced trace must hold (docs/trace.md): events in time order, every delivery
 * and drop naming a message sent before it and settled once, every completion an invoked
 * operation. Returns the counts by type.
 */
export function checkProducedTrace(t: ExecutionContext, trace: Trace): Map<string, number> {
  const counts = new Map<string, number>();
  const sent = new Set<number>();
  const settled = new Set<number>();
  const invoked = new Set<number>();
  let lastUs = 0;
  for (const event of trace.events) {
    counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
    if (event.t < lastUs) t.fail(`${event.type} at ${event.t} µs after ${lastUs} µs`);
    lastUs = event.t;
    if (event.type === 'msg-send') {
      if (sent.has(event.msg)) t.fail(`message ${event.msg} sent twice`);
      sent.add(event.msg);
    } else if (event.type === 'msg-deliver' || event.type === 'msg-drop') {
      if (!sent.has(event.msg)) t.fail(`${event.type} of message ${event.msg} never sent`);
      if (settled.has(event.msg)) t.fail(`message ${event.msg} delivered or dropped twice`);
      settled.add(event.msg);
    } else if (event.type === 'op-invoke') {
      invoked.add(event.op);
    } else if (event.type === 'op-complete' || event.type === 'level-met') {
      if (!invoked.has(event.op)) t.fail(`${event.type} of operation ${event.op} never invoked`);
    }
  }
  return counts;
}
