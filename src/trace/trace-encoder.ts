import type { Timestamp } from '../core/clock.js';
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

/** The bytes a batch starts with; it doubles as events come, up to the encoder's bound. */
const initialBatchBytes = 64 * 1024;

/**
 * Encodes trace events into one batch of bytes (src/trace/trace-codec.ts) as they are emitted,
 * so a node keeps no event objects alive until its next flush. `encode` refuses an event that
 * would take the batch past `bytesMax`.
 */
export class TraceEncoder {
  readonly #bytesMax: number;
  #bytes!: Buffer;
  #view!: DataView;
  #offset = 0;
  #count = 0;
  #spare: Buffer | undefined;

  constructor(bytesMax: number) {
    this.#bytesMax = bytesMax;
    this.#use(Buffer.allocUnsafeSlow(Math.min(initialBatchBytes, bytesMax)));
  }

  /** Events in the batch so far. */
  get count(): number {
    return this.#count;
  }

  /** Appends one event; false (and nothing written) when it does not fit within the bound. */
  encode(event: TraceEvent): boolean {
    const start = this.#offset;
    try {
      if (!this.#positional(event)) {
        this.#offset = start;
        this.#room(1);
        this.#byte(recordTag.json);
        this.#string(JSON.stringify(event));
      }
    } catch (error) {
      this.#offset = start;
      if (error === full) return false;
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
    note: { kind: MessageKind; op: number | null; key?: string; ts?: Timestamp },
    delayMs: number,
  ): boolean {
    const start = this.#offset;
    try {
      if (!this.#send(t, msg, note.kind, from, to, note.op, delayMs, note.key, note.ts)) {
        this.#offset = start;
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
        return this.encode(event);
      }
    } catch (error) {
      this.#offset = start;
      if (error === full) return false;
      throw error;
    }
    this.#count++;
    return true;
  }

  /** `encode` of a `msg-deliver` from its fields. */
  encodeDeliver(t: number, msg: number): boolean {
    if (this.#offset + 17 > this.#bytesMax) return false;
    this.#deliver(t, msg);
    this.#count++;
    return true;
  }

  /**
   * The batch so far; the encoder goes on in its spare buffer. Hand the batch back with
   * `recycle` once it is sent, so a busy node allocates no buffer per batch.
   */
  take(): Uint8Array {
    const batch = this.#bytes.subarray(0, this.#offset);
    this.#use(this.#spare ?? Buffer.allocUnsafeSlow(Math.min(initialBatchBytes, this.#bytesMax)));
    this.#spare = undefined;
    this.#count = 0;
    return batch;
  }

  /** Takes back a batch `take` returned and that is no longer read: its buffer is the spare. */
  recycle(batch: Uint8Array): void {
    // The encoder's buffers are never pooled (allocUnsafeSlow): each owns its ArrayBuffer.
    if (batch.byteOffset === 0) this.#spare = Buffer.from(batch.buffer);
  }

  #use(bytes: Buffer): void {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#offset = 0;
  }

  /** Writes a positional record; false when the event has none (or a name off its list). */
  #positional(event: TraceEvent): boolean {
    switch (event.type) {
      case 'msg-send': {
        const { t, msg, kind, from, to, op, delayMs, key, ts } = event;
        return this.#send(t, msg, kind, from, to, op, delayMs, key, ts);
      }
      case 'msg-deliver':
        this.#deliver(event.t, event.msg);
        return true;
      case 'msg-drop': {
        const why = dropReasonCodes.get(event.why);
        if (why === undefined) return false;
        this.#room(2 + 2 * 8);
        this.#byte(recordTag.msgDrop);
        this.#byte(why);
        this.#f64(event.t);
        this.#f64(event.msg);
        return true;
      }
      case 'level-met':
        this.#room(1 + 2 * 8);
        this.#byte(recordTag.levelMet);
        this.#f64(event.t);
        this.#f64(event.op);
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
  ): boolean {
    const kindCode = messageKindCodes.get(kind);
    if (kindCode === undefined) return false;
    const flags =
      (op === null ? sendFlag.opNull : 0) |
      (key === undefined ? 0 : sendFlag.key) |
      (ts === undefined ? 0 : sendFlag.ts);
    this.#room(3 + 6 * 8);
    this.#byte(recordTag.msgSend);
    this.#byte(flags);
    this.#byte(kindCode);
    this.#f64(t);
    this.#f64(msg);
    this.#f64(from);
    this.#f64(to);
    this.#f64(op ?? 0);
    this.#f64(delayMs);
    if (key !== undefined) this.#string(key);
    if (ts !== undefined) this.#timestamp(ts);
    return true;
  }

  #deliver(t: number, msg: number): void {
    this.#room(1 + 2 * 8);
    this.#byte(recordTag.msgDeliver);
    this.#f64(t);
    this.#f64(msg);
  }

  #opInvoke(event: OpInvokeEvent): boolean {
    const kind = dataOpCodes.get(event.kind);
    const level = levelCodes.get(event.level);
    if (kind === undefined || level === undefined) return false;
    this.#room(3 + 3 * 8);
    this.#byte(recordTag.opInvoke);
    this.#byte(kind);
    this.#byte(level);
    this.#f64(event.t);
    this.#f64(event.op);
    this.#f64(event.node);
    this.#string(event.client);
    this.#string(event.key);
    this.#optionalString(event.value);
    return true;
  }

  #opComplete(event: OpCompleteEvent): boolean {
    this.#room(3 + 5 * 8);
    this.#byte(recordTag.opComplete);
    this.#byte(event.ok ? 1 : 0);
    this.#byte(event.found === undefined ? presence.absent : event.found ? 2 : 1);
    this.#f64(event.t);
    this.#f64(event.op);
    this.#f64(event.acks);
    this.#f64(event.required);
    this.#f64(event.replicas.length);
    this.#optionalString(event.value);
    for (const replica of event.replicas) {
      const state = replicaStateCodes.get(replica.state);
      if (state === undefined) return false;
      this.#room(2 + 8);
      this.#byte(state);
      this.#f64(replica.node);
      this.#byte(replica.ts === undefined ? presence.absent : presence.present);
      if (replica.ts !== undefined) this.#timestamp(replica.ts);
    }
    this.#room(1);
    this.#byte(event.error === undefined ? presence.absent : presence.present);
    if (event.error !== undefined) {
      this.#string(event.error.code);
      this.#string(event.error.message);
    }
    return true;
  }

  #timestamp(ts: Timestamp): void {
    this.#room(3 * 8);
    this.#f64(ts.wallMs);
    this.#f64(ts.counter);
    this.#f64(ts.nodeId);
  }

  #optionalString(value: string | null | undefined): void {
    this.#room(1);
    this.#byte(
      value === undefined ? presence.absent : value === null ? presence.null : presence.present,
    );
    if (typeof value === 'string') this.#string(value);
  }

  /** Writes one byte; the caller made room. */
  #byte(value: number): void {
    this.#bytes[this.#offset++] = value;
  }

  /** Writes one float64; the caller made room. */
  #f64(value: number): void {
    this.#view.setFloat64(this.#offset, value, true);
    this.#offset += 8;
  }

  #string(value: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; a long string is measured instead.
    this.#room(4 + (value.length <= 1024 ? 3 * value.length : Buffer.byteLength(value)));
    const at = this.#offset + 4;
    const length = value.length <= shortStringLength ? writeAscii(this.#bytes, value, at) : -1;
    const written = length >= 0 ? length : this.#bytes.write(value, at, 'utf8');
    this.#view.setUint32(this.#offset, written, true);
    this.#offset = at + written;
  }

  /** Makes room for `bytes` more, growing the batch up to the bound; throws `full` past it. */
  #room(bytes: number): void {
    const needed = this.#offset + bytes;
    if (needed > this.#bytesMax) throw full;
    if (needed <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafeSlow(Math.min(size, this.#bytesMax));
    const offset = this.#offset;
    this.#bytes.copy(grown, 0, 0, offset);
    this.#use(grown);
    this.#offset = offset;
  }
}

/** Strings up to this long are copied in JS when they are ASCII (keys, client names). */
const shortStringLength = 64;

/** Copies an ASCII string's bytes to `at`; -1 (bytes after `at` undefined) when it is not ASCII. */
function writeAscii(bytes: Buffer, value: string, at: number): number {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x80) return -1;
    bytes[at + i] = code;
  }
  return value.length;
}

/** Thrown by #room and caught by encode: the event does not fit. */
const full = Symbol('trace batch full');
