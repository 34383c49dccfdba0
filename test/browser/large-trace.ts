import { createTraceMeta, type Trace, type TraceEvent } from '../../src/trace/trace-format.js';

/**
 * A long run, made the way the fixture is: quorum reads and writes on 1,000 keys from 4 nodes,
 * every request answered, with a heartbeat now and then. Deterministic: no randomness.
 */
export function buildLargeTrace(messagesWanted: number): Trace {
  const events: TraceEvent[] = [];
  const pending: TraceEvent[] = [];
  let msg = 0;
  let op = 0;
  let t = 0;
  const flush = (upTo: number): void => {
    pending.sort((a, b) => a.t - b.t);
    while (pending.length > 0 && (pending[0]?.t ?? Infinity) <= upTo)
      events.push(pending.shift() as TraceEvent);
  };
  while (msg < messagesWanted - 6) {
    op++;
    const node = (op % 4) + 1;
    const replicas = [1, 2, 3, 4].filter((n) => n !== node).slice(0, 3);
    const write = op % 3 === 0;
    const key = `key-${op % 1000}`;
    flush(t);
    events.push({
      type: 'op-invoke',
      t,
      op,
      client: `c${op % 8}`,
      node,
      kind: write ? 'update' : 'get',
      key,
      level: 'quorum',
      ...(write ? { value: `v${op}` } : {}),
    });
    const answers: number[] = [];
    for (const [i, replica] of replicas.entries()) {
      const delayMs = 0.2 + ((op * 7 + i * 13) % 10) / 10;
      const sentT = t + 10;
      events.push({
        type: 'msg-send',
        t: sentT,
        msg: ++msg,
        kind: write ? 'write' : 'read',
        from: node,
        to: replica,
        op,
        key,
        delayMs,
      });
      const arrive = sentT + Math.round(delayMs * 1000);
      pending.push({ type: 'msg-deliver', t: arrive, msg });
      pending.push({
        type: 'msg-send',
        t: arrive + 5,
        msg: ++msg,
        kind: write ? 'write-reply' : 'read-reply',
        from: replica,
        to: node,
        op,
        delayMs,
      });
      pending.push({ type: 'msg-deliver', t: arrive + 5 + Math.round(delayMs * 1000), msg });
      answers.push(arrive + 5 + Math.round(delayMs * 1000));
    }
    answers.sort((a, b) => a - b);
    const met = answers[1] ?? t;
    pending.push({ type: 'level-met', t: met, op });
    pending.push({
      type: 'op-complete',
      t: met + 1,
      op,
      ok: true,
      acks: 2,
      required: 2,
      found: true,
      value: `v${op}`,
      replicas: replicas.map((replica) => ({ node: replica, state: 'fresh' as const })),
    });
    if (op % 10 === 0) {
      pending.push({
        type: 'msg-send',
        t: t + 20,
        msg: ++msg,
        kind: 'ping',
        from: node,
        to: replicas[0] ?? 1,
        op: null,
        delayMs: 0.1,
      });
      pending.push({ type: 'msg-deliver', t: t + 120, msg });
    }
    t += 400;
  }
  flush(Infinity);
  return {
    meta: createTraceMeta({ source: 'sim', nodes: [1, 2, 3, 4], replicationFactor: 3 }),
    events,
  };
}
