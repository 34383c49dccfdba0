import type { Timestamp } from '../../src/core/clock.js';
import {
  createTraceMeta,
  type DropReason,
  type MessageKind,
  type Trace,
  type TraceEvent,
} from '../../src/trace/trace-format.js';

type WithoutTime<T> = T extends unknown ? Omit<T, 't'> : never;
const us = (ms: number): number => Math.round(ms * 1000);
export const ts = (wallMs: number, nodeId: number): Timestamp => ({ wallMs, counter: 0, nodeId });

/** Writes trace events the way a producer would; times are given in ms and stored in µs. */
export class TraceBuilder {
  readonly events: TraceEvent[] = [];
  #nextMsg = 1;

  at(ms: number, event: WithoutTime<TraceEvent>): void {
    this.events.push({ ...event, t: us(ms) } as TraceEvent);
  }

  /** Sends a message at `ms`; returns its id for deliver() or drop(). */
  send(
    ms: number,
    kind: MessageKind,
    from: number,
    to: number,
    op: number | null,
    delayMs: number,
    extra: { key?: string; ts?: Timestamp } = {},
  ): number {
    const msg = this.#nextMsg++;
    this.at(ms, { type: 'msg-send', msg, kind, from, to, op, delayMs, ...extra });
    return msg;
  }

  deliver(ms: number, msg: number): void {
    this.at(ms, { type: 'msg-deliver', msg });
  }

  drop(ms: number, msg: number, why: DropReason): void {
    this.at(ms, { type: 'msg-drop', msg, why });
  }

  /** The events sorted by time (stable), as a producer writes them. */
  build(): Trace {
    const events = this.events
      .map((event, index) => ({ event, index }))
      .sort((a, b) => a.event.t - b.event.t || a.index - b.index)
      .map(({ event }) => event);
    return {
      meta: createTraceMeta({ source: 'sim', nodes: [1, 2, 3, 4], replicationFactor: 3, seed: 7 }),
      events,
    };
  }
}

/**
 * Four nodes, RF 3, key k1 on nodes 1-3, coordinator 4: an insert at `one` fans out; node 2's
 * copy is still on the wire when a read at `one` arrives, so the read's first answer (node 2,
 * missing) meets the level and the later answers are late; a read repair fixes node 2; a ping
 * is dropped under a partition; node 2 is killed, misses an update (hinted) and gets the hint.
 */
export function buildFixtureTrace(): Trace {
  const b = new TraceBuilder();
  const v1 = ts(1000, 4);
  b.at(0, {
    type: 'op-invoke',
    op: 1,
    client: 'c1',
    node: 4,
    kind: 'insert',
    key: 'k1',
    level: 'one',
    value: 'v1',
  });
  const w1 = b.send(0.1, 'write', 4, 1, 1, 2.0, { key: 'k1', ts: v1 });
  const w2 = b.send(0.1, 'write', 4, 2, 1, 30.0, { key: 'k1', ts: v1 });
  const w3 = b.send(0.1, 'write', 4, 3, 1, 5.0, { key: 'k1', ts: v1 });
  b.deliver(2.1, w1);
  const a1 = b.send(2.2, 'write-reply', 1, 4, 1, 1.5);
  b.deliver(3.7, a1);
  b.at(3.7, { type: 'level-met', op: 1 });
  b.at(3.8, {
    type: 'op-complete',
    op: 1,
    ok: true,
    value: 'v1',
    found: true,
    acks: 1,
    required: 1,
    replicas: [
      { node: 1, state: 'fresh', ts: v1 },
      { node: 2, state: 'pending' },
      { node: 3, state: 'pending' },
    ],
  });
  b.deliver(5.1, w3);
  const a3 = b.send(5.2, 'write-reply', 3, 4, 1, 2.0);
  b.deliver(7.2, a3);

  b.at(10, {
    type: 'op-invoke',
    op: 2,
    client: 'c1',
    node: 4,
    kind: 'get',
    key: 'k1',
    level: 'one',
  });
  const r1 = b.send(10.1, 'read', 4, 1, 2, 4.0, { key: 'k1' });
  const r2 = b.send(10.1, 'read', 4, 2, 2, 1.0, { key: 'k1' });
  const r3 = b.send(10.1, 'read', 4, 3, 2, 6.0, { key: 'k1' });
  b.deliver(11.1, r2);
  const rr2 = b.send(11.2, 'read-reply', 2, 4, 2, 1.0);
  b.deliver(12.2, rr2);
  b.at(12.2, { type: 'level-met', op: 2 });
  b.at(12.3, {
    type: 'op-complete',
    op: 2,
    ok: true,
    value: null,
    found: false,
    acks: 1,
    required: 1,
    replicas: [
      { node: 2, state: 'missing' },
      { node: 1, state: 'pending' },
      { node: 3, state: 'pending' },
    ],
  });
  b.deliver(14.1, r1);
  const rr1 = b.send(14.2, 'read-reply', 1, 4, 2, 2.0, { ts: v1 });
  b.deliver(16.1, r3);
  b.deliver(16.2, rr1);
  const rr3 = b.send(16.2, 'read-reply', 3, 4, 2, 1.5, { ts: v1 });
  const fix = b.send(16.3, 'repair', 4, 2, 2, 3.0, { key: 'k1', ts: v1 });
  b.deliver(17.7, rr3);
  b.deliver(19.3, fix);
  b.at(19.4, { type: 'repair', op: 2, node: 2, key: 'k1', to: v1, applied: true });
  b.deliver(30.1, w2);
  const a2 = b.send(30.2, 'write-reply', 2, 4, 1, 1.0);
  b.deliver(31.2, a2);

  b.at(40, { type: 'fault', fault: 'partition', groups: [[1, 2, 4], [3]] });
  const ping = b.send(41, 'ping', 4, 3, null, 1.0);
  b.drop(41, ping, 'partition');
  b.at(45, { type: 'detector', node: 4, peer: 3, state: 'suspect' });

  b.at(50, { type: 'fault', fault: 'kill', node: 2 });
  const v2 = ts(1055, 4);
  b.at(55, {
    type: 'op-invoke',
    op: 3,
    client: 'c2',
    node: 4,
    kind: 'update',
    key: 'k1',
    level: 'one',
    value: 'v2',
  });
  const u1 = b.send(55.1, 'write', 4, 1, 3, 2.0, { key: 'k1', ts: v2 });
  const u2 = b.send(55.1, 'write', 4, 2, 3, 1.0, { key: 'k1', ts: v2 });
  const u3 = b.send(55.1, 'write', 4, 3, 3, 1.0, { key: 'k1', ts: v2 });
  b.drop(55.1, u2, 'crash');
  b.drop(55.1, u3, 'partition');
  b.at(55.2, { type: 'hint', action: 'stored', node: 4, target: 2, key: 'k1', ts: v2 });
  b.deliver(57.1, u1);
  const ua1 = b.send(57.2, 'write-reply', 1, 4, 3, 1.0);
  b.deliver(58.2, ua1);
  b.at(58.2, { type: 'level-met', op: 3 });
  b.at(58.3, {
    type: 'op-complete',
    op: 3,
    ok: true,
    value: 'v2',
    found: true,
    acks: 1,
    required: 1,
    replicas: [
      { node: 1, state: 'fresh', ts: v2 },
      { node: 2, state: 'down' },
      { node: 3, state: 'pending' },
    ],
  });

  b.at(70, { type: 'fault', fault: 'restart', node: 2 });
  b.at(72, { type: 'hint', action: 'replayed', node: 4, target: 2, key: 'k1', ts: v2 });
  const h = b.send(72, 'write', 4, 2, null, 1.0, { key: 'k1', ts: v2 });
  b.deliver(73, h);
  b.at(80, { type: 'fault', fault: 'heal' });
  b.at(81, { type: 'detector', node: 4, peer: 3, state: 'up' });

  b.at(90, {
    type: 'anti-entropy',
    node: 1,
    peer: 3,
    phase: 'start',
    rangesCompared: 0,
    rangesDiffering: 0,
    keysSent: 0,
    keysReceived: 0,
  });
  const tree = b.send(90, 'tree', 1, 3, null, 1.0);
  b.deliver(91, tree);
  const treeReply = b.send(91.1, 'tree-reply', 3, 1, null, 1.0);
  b.deliver(92.1, treeReply);
  const range = b.send(92.2, 'range', 1, 3, null, 1.0, { key: 'k1', ts: v2 });
  b.deliver(93.2, range);
  b.at(93.3, {
    type: 'anti-entropy',
    node: 1,
    peer: 3,
    phase: 'end',
    rangesCompared: 16,
    rangesDiffering: 1,
    keysSent: 1,
    keysReceived: 0,
    keys: ['k1'],
  });
  return b.build();
}
