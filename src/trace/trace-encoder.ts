import type { Timestamp } from '../core/clock.js';
import { BatchWriter, batchFull } from './batch-writer.js';
import {
  dataOpCodes,
  dropReasonCodes,
  levelCodes,
  messageKindCodes,
  presence,
  recordTag,
  replicaStateCodes,
  sendFlag,
} from './trace-codec.js';
import type {
  MessageKind,
  MsgSendEvent,
  OpCompleteEvent,
  OpInvokeEvent,
  TraceEvent,
} from './trace-format.js';

/**
 * Encodes trace events into one batch of bytes (src/trace/trace-codec.ts) as they are emitted,
 * so a node keeps no event objects alive until its next flush. `encode` refuses an event that
 * would take the batch past `bytesMax`.
 */
export class TraceEncoder {
  readonly #w: BatchWriter;
  #count = 0;

  constructor(bytesMax: number) {
    this.#w = new BatchWriter(bytesMax);
  }

  /** Events in the batch so far. */
  get count(): number {
    return this.#count;
  }

  /** Appends one event; false (and nothing written) when it does not fit within the bound. */
  encode(event: TraceEvent): boolean {
    const start = this.#w.offset;
    try {
      if (!this.#positional(event)) {
        this.#w.offset = start;
        this.#w.room(1);
        this.#w.byte(recordTag.json);
        this.#w.string(JSON.stringify(event));
      }
    } catch (error) {
      this.#w.offset = start;
      if (error === batchFull) return false;
      throw error;
    }
    this.#count++;
    return true;
  }

  /** `encode` of a `msg-send` from its fields, without the event object. */
  encodeSend(
    t: number,
    msg: number,
    from: number,
    to: number,
    note: {
      kind: MessageKind;
      op: number | null;
      key?: string;
      ts?: Timestamp;
      ranges?: number;
      keys?: number;
    },
    delayMs: number,
  ): boolean {
    const start = this.#w.offset;
    try {
      if (!this.#send(t, msg, note.kind, from, to, note.op, delayMs, note.key, note.ts, note)) {
        this.#w.offset = start;
        const event: MsgSendEvent = {
          type: 'msg-send',
          t,
          msg,
          kind: note.kind,
          from,
          to,
          op: note.op,
          delayMs,
        };
        if (note.key !== undefined) event.key = note.key;
        if (note.ts !== undefined) event.ts = note.ts;
        if (note.ranges !== undefined) event.ranges = note.ranges;
        if (note.keys !== undefined) event.keys = note.keys;
        return this.encode(event);
      }
    } catch (error) {
      this.#w.offset = start;
      if (error === batchFull) return false;
      throw error;
    }
    this.#count++;
    return true;
  }

  /** `encode` of a `msg-deliver` from its fields. */
  encodeDeliver(t: number, msg: number): boolean {
    if (this.#w.offset + 17 > this.#w.bytesMax) return false;
    this.#deliver(t, msg);
    this.#count++;
    return true;
  }

  /**
   * The batch so far; the encoder goes on in its spare buffer. Hand the batch back with
   * `recycle` once it is sent, so a busy node allocates no buffer per batch.
   */
  take(): Uint8Array {
    this.#count = 0;
    return this.#w.take();
  }

  /** Takes back a batch `take` returned and that is no longer read. */
  recycle(batch: Uint8Array): void {
    this.#w.recycle(batch);
  }

  /** Writes a positional record; false when the event has none (or a name off its list). */
  #positional(event: TraceEvent): boolean {
    switch (event.type) {
      case 'msg-send': {
        const { t, msg, kind, from, to, op, delayMs, key, ts } = event;
        return this.#send(t, msg, kind, from, to, op, delayMs, key, ts, event);
      }
      case 'msg-deliver':
        this.#deliver(event.t, event.msg);
        return true;
      case 'msg-drop': {
        const why = dropReasonCodes.get(event.why);
        if (why === undefined) return false;
        this.#w.room(2 + 2 * 8);
        this.#w.byte(recordTag.msgDrop);
        this.#w.byte(why);
        this.#w.f64(event.t);
        this.#w.f64(event.msg);
        return true;
      }
      case 'level-met':
        this.#w.room(1 + 2 * 8);
        this.#w.byte(recordTag.levelMet);
        this.#w.f64(event.t);
        this.#w.f64(event.op);
        return true;
      case 'op-invoke':
        return this.#opInvoke(event);
      case 'op-complete':
        return this.#opComplete(event);
      default:
        return false;
    }
  }

  #send(
    t: number,
    msg: number,
    kind: MessageKind,
    from: number,
    to: number,
    op: number | null,
    delayMs: number,
    key: string | undefined,
    ts: Timestamp | undefined,
    counts: { ranges?: number; keys?: number },
  ): boolean {
    const kindCode = messageKindCodes.get(kind);
    if (kindCode === undefined) return false;
    const { ranges, keys } = counts;
    const flags =
      (op === null ? sendFlag.opNull : 0) |
      (key === undefined ? 0 : sendFlag.key) |
      (ts === undefined ? 0 : sendFlag.ts) |
      (ranges === undefined ? 0 : sendFlag.ranges) |
      (keys === undefined ? 0 : sendFlag.keys);
    this.#w.room(3 + 6 * 8);
    this.#w.byte(recordTag.msgSend);
    this.#w.byte(flags);
    this.#w.byte(kindCode);
    this.#w.f64(t);
    this.#w.f64(msg);
    this.#w.f64(from);
    this.#w.f64(to);
    this.#w.f64(op ?? 0);
    this.#w.f64(delayMs);
    if (key !== undefined) this.#w.string(key);
    if (ts !== undefined) this.#w.timestamp(ts);
    if (ranges !== undefined || keys !== undefined) this.#w.room(2 * 8);
    if (ranges !== undefined) this.#w.f64(ranges);
    if (keys !== undefined) this.#w.f64(keys);
    return true;
  }

  #deliver(t: number, msg: number): void {
    this.#w.room(1 + 2 * 8);
    this.#w.byte(recordTag.msgDeliver);
    this.#w.f64(t);
    this.#w.f64(msg);
  }

  #opInvoke(event: OpInvokeEvent): boolean {
    const kind = dataOpCodes.get(event.kind);
    const level = levelCodes.get(event.level);
    if (kind === undefined || level === undefined) return false;
    this.#w.room(3 + 3 * 8);
    this.#w.byte(recordTag.opInvoke);
    this.#w.byte(kind);
    this.#w.byte(level);
    this.#w.f64(event.t);
    this.#w.f64(event.op);
    this.#w.f64(event.node);
    this.#w.string(event.client);
    this.#w.string(event.key);
    this.#w.optionalString(event.value);
    return true;
  }

  #opComplete(event: OpCompleteEvent): boolean {
    this.#w.room(3 + 5 * 8);
    this.#w.byte(recordTag.opComplete);
    this.#w.byte(event.ok ? 1 : 0);
    this.#w.byte(event.found === undefined ? presence.absent : event.found ? 2 : 1);
    this.#w.f64(event.t);
    this.#w.f64(event.op);
    this.#w.f64(event.acks);
    this.#w.f64(event.required);
    this.#w.f64(event.replicas.length);
    this.#w.optionalString(event.value);
    for (const replica of event.replicas) {
      const state = replicaStateCodes.get(replica.state);
      if (state === undefined) return false;
      this.#w.room(2 + 8);
      this.#w.byte(state);
      this.#w.f64(replica.node);
      this.#w.byte(replica.ts === undefined ? presence.absent : presence.present);
      if (replica.ts !== undefined) this.#w.timestamp(replica.ts);
    }
    this.#w.room(1);
    this.#w.byte(event.error === undefined ? presence.absent : presence.present);
    if (event.error !== undefined) {
      this.#w.string(event.error.code);
      this.#w.string(event.error.message);
    }
    return true;
  }
}
