import type { Timestamp } from '../core/clock.js';
import type { LevelName } from '../core/levels.js';
import type { DataOp } from '../core/messages.js';
import { BatchWriter, batchFull, deltaField, uintBytesMax } from './batch-writer.js';
import {
  writeComplete,
  writeOpInvoke,
  writeRepair,
  type CompleteFields,
} from './operation-records.js';
import { codeOf, recordTag, sendFlag } from './trace-codec.js';
import {
  dropReasons,
  invokeEvent,
  messageKinds,
  msgSendEvent,
  type MessageKind,
  type MsgSendNote,
  type TraceEvent,
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
    this.#w.save();
    try {
      if (!this.#positional(event)) {
        this.#w.rewind();
        this.#w.room(1);
        this.#w.byte(recordTag.json);
        this.#w.string(JSON.stringify(event));
      }
    } catch (error) {
      return this.#refused(error);
    }
    this.#count++;
    return true;
  }

  /**
   * `encode` of a `msg-send` from its fields, without the event object; `delivered`: with its
   * `msg-deliver` at `t` (sent with no delay).
   */
  encodeSend(
    t: number,
    msg: number,
    from: number,
    to: number,
    note: MsgSendNote,
    delayMs: number,
    delivered = false,
  ): boolean {
    this.#w.save();
    const flags = delivered ? sendFlag.delivered : 0;
    try {
      const { kind, op, key, ts } = note;
      if (!this.#send(t, msg, kind, from, to, op, delayMs, key, ts, note, flags)) {
        this.#w.rewind();
        const event = msgSendEvent(t, msg, from, to, note, delayMs);
        return this.encode(event) && (!delivered || this.encodeDeliver(t, msg));
      }
    } catch (error) {
      return this.#refused(error);
    }
    this.#count += delivered ? 2 : 1;
    return true;
  }

  /**
   * `encode` of an answer's `level-met` and `op-complete` at one `t`, from the result's fields
   * (one record for both, no event object).
   */
  encodeAnswer(t: number, op: number, result: CompleteFields): boolean {
    this.#w.save();
    try {
      if (!writeComplete(this.#w, recordTag.opAnswered, t, op, true, result)) {
        this.#w.rewind();
        return false;
      }
    } catch (error) {
      return this.#refused(error);
    }
    this.#count += 2;
    return true;
  }

  /** `encode` of an `op-invoke` from its fields, without the event object. */
  encodeInvoke(
    t: number,
    op: number,
    client: string,
    node: number,
    kind: DataOp,
    key: string,
    level: LevelName,
    value: string | null | undefined,
  ): boolean {
    this.#w.save();
    try {
      if (!writeOpInvoke(this.#w, t, op, client, node, kind, key, level, value)) {
        this.#w.rewind();
        return this.encode(invokeEvent(t, op, client, node, kind, key, level, value));
      }
    } catch (error) {
      return this.#refused(error);
    }
    this.#count++;
    return true;
  }

  /** `encode` of a `msg-deliver` from its fields. */
  encodeDeliver(t: number, msg: number): boolean {
    if (this.#w.offset + 1 + 2 * uintBytesMax > this.#w.bytesMax) return false;
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

  /** After a record threw: undoes it; false when it did not fit (batchFull), else rethrows. */
  #refused(error: unknown): false {
    this.#w.rewind();
    if (error === batchFull) return false;
    throw error;
  }

  /** Writes a positional record; false when the event has none (or a name off its list). */
  #positional(event: TraceEvent): boolean {
    switch (event.type) {
      case 'msg-send': {
        const { t, msg, kind, from, to, op, delayMs, key, ts } = event;
        return this.#send(t, msg, kind, from, to, op, delayMs, key, ts, event, 0);
      }
      case 'msg-deliver':
        this.#deliver(event.t, event.msg);
        return true;
      case 'msg-drop': {
        const why = codeOf(dropReasons, event.why);
        if (why === undefined) return false;
        this.#w.room(2 + 2 * uintBytesMax);
        this.#w.byte(recordTag.msgDrop);
        this.#w.byte(why);
        this.#w.delta(deltaField.t, event.t);
        this.#w.delta(deltaField.msg, event.msg);
        return true;
      }
      case 'level-met':
        this.#w.room(1 + 2 * uintBytesMax);
        this.#w.byte(recordTag.levelMet);
        this.#w.delta(deltaField.t, event.t);
        this.#w.delta(deltaField.op, event.op);
        return true;
      case 'op-invoke': {
        const { t, op, client, node, kind, key, level, value } = event;
        return writeOpInvoke(this.#w, t, op, client, node, kind, key, level, value);
      }
      case 'repair':
        return writeRepair(this.#w, event);
      case 'op-complete':
        return writeComplete(this.#w, recordTag.opComplete, event.t, event.op, event.ok, event);
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
    delivered: number,
  ): boolean {
    const kindCode = codeOf(messageKinds, kind);
    if (kindCode === undefined) return false;
    const { ranges, keys } = counts;
    const w = this.#w;
    const last = w.lastSend;
    if (
      kindCode === last.kind &&
      delivered === last.delivered &&
      key === last.key &&
      ts === last.ts &&
      Object.is(op, last.op) &&
      Object.is(from, last.from) &&
      Object.is(delayMs, last.delayMs) &&
      Object.is(ranges, last.ranges) &&
      Object.is(keys, last.keys) &&
      w.follows(deltaField.msg, msg)
    ) {
      w.room(1 + 2 * uintBytesMax);
      w.byte(recordTag.msgSendLike);
      w.uint(to);
      w.delta(deltaField.t, t);
      w.next(deltaField.msg);
      return true;
    }
    // Its operation's other messages and invocation have the key: "the same" then.
    const sameKey = key !== undefined && key === w.lastKey;
    const flags =
      delivered |
      (op === null ? sendFlag.opNull : 0) |
      (key === undefined ? 0 : sameKey ? sendFlag.key | sendFlag.sameKey : sendFlag.key) |
      (ts === undefined ? 0 : sendFlag.ts) |
      (ranges === undefined ? 0 : sendFlag.ranges) |
      (keys === undefined ? 0 : sendFlag.keys);
    w.room(3 + 6 * uintBytesMax);
    w.byte(recordTag.msgSend);
    w.byte(flags);
    w.byte(kindCode);
    w.delta(deltaField.t, t);
    w.delta(deltaField.msg, msg);
    w.uint(from);
    w.uint(to);
    if (op !== null) w.delta(deltaField.op, op);
    // Delivered at once: sent without delay, so the delay is left out.
    if (delivered === 0) w.f64(delayMs);
    if (key !== undefined && !sameKey) {
      w.string(key);
      w.lastKey = key;
    }
    if (ts !== undefined) w.timestamp(ts);
    if (ranges !== undefined || keys !== undefined) w.room(2 * uintBytesMax);
    if (ranges !== undefined) w.uint(ranges);
    if (keys !== undefined) w.uint(keys);
    // Written whole: the next send may be like it.
    last.kind = kindCode;
    last.delivered = delivered;
    last.key = key;
    last.ts = ts;
    last.op = op;
    last.from = from;
    last.delayMs = delayMs;
    last.ranges = ranges;
    last.keys = keys;
    return true;
  }

  #deliver(t: number, msg: number): void {
    this.#w.room(1 + 2 * uintBytesMax);
    this.#w.byte(recordTag.msgDeliver);
    this.#w.delta(deltaField.t, t);
    this.#w.delta(deltaField.msg, msg);
  }
}
