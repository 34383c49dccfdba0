import type { Timestamp } from '../core/clock.js';
import type { ErrorCode } from '../core/errors.js';
import { levelNames } from '../core/levels.js';
import { deltaField, type DeltaField } from './batch-writer.js';
import {
  dataOps,
  presence,
  recordTag,
  repairFlag,
  replicaStates,
  sameClientFlag,
  sendFlag,
} from './trace-codec.js';
import {
  dropReasons,
  messageKinds,
  type MsgSendEvent,
  type OpCompleteEvent,
  type OpInvokeEvent,
  type RepairEvent,
  type ReplicaNote,
  type TraceEvent,
} from './trace-format.js';

/**
 * Decodes a batch a TraceEncoder made (src/trace/trace-codec.ts) back into the events, with
 * their fields in the order the producers build them, so the JSON lines are the same. Throws on
 * bytes no encoder made.
 */
export function decodeTraceBatch(bytes: Uint8Array): TraceEvent[] {
  const reader = new BatchReader(bytes);
  const events: TraceEvent[] = [];
  while (!reader.done) {
    const event = readRecord(reader, events);
    if (event !== undefined) events.push(event);
  }
  return events;
}

/** One record's event; a record that stands for two pushes them onto `events` itself. */
function readRecord(reader: BatchReader, events: TraceEvent[]): TraceEvent | undefined {
  const tag = reader.u8();
  switch (tag) {
    case recordTag.json:
      return JSON.parse(reader.string()) as TraceEvent;
    case recordTag.msgSend: {
      const delivered = (reader.peek() & sendFlag.delivered) !== 0;
      const send = readMsgSend(reader);
      reader.lastSend = send;
      reader.lastSendDelivered = delivered;
      return sent(send, delivered, events);
    }
    case recordTag.msgSendLike: {
      const last = reader.lastSend;
      if (last === undefined) throw new Error('A trace batch repeats a send it never wrote.');
      const to = reader.uint();
      const t = reader.delta(deltaField.t);
      // In the first send's field order; a version of its own, as a send of its own has.
      const send: MsgSendEvent = { ...last, t, msg: reader.next(deltaField.msg), to };
      if (last.ts !== undefined) send.ts = { ...last.ts };
      return sent(send, reader.lastSendDelivered, events);
    }
    case recordTag.msgDeliver: {
      const t = reader.delta(deltaField.t);
      return { type: 'msg-deliver', t, msg: reader.delta(deltaField.msg) };
    }
    case recordTag.msgDrop: {
      const why = dropReasons[reader.u8()]!;
      const t = reader.delta(deltaField.t);
      return { type: 'msg-drop', t, msg: reader.delta(deltaField.msg), why };
    }
    case recordTag.levelMet: {
      const t = reader.delta(deltaField.t);
      return { type: 'level-met', t, op: reader.delta(deltaField.op) };
    }
    case recordTag.opInvoke: {
      const invoke = readOpInvoke(reader);
      reader.lastKey = invoke.key;
      return invoke;
    }
    case recordTag.opComplete:
      return readOpComplete(reader);
    case recordTag.repair:
      return readRepair(reader);
    case recordTag.opAnswered: {
      const complete = readOpComplete(reader);
      events.push({ type: 'level-met', t: complete.t, op: complete.op });
      return complete;
    }
    default:
      throw new Error(`Unknown trace record tag ${tag} at byte ${reader.offset - 1}.`);
  }
}

/** A send's event; one delivered at once pushes it and returns its `msg-deliver` at its `t`. */
function sent(send: MsgSendEvent, delivered: boolean, events: TraceEvent[]): TraceEvent {
  if (!delivered) return send;
  events.push(send);
  return { type: 'msg-deliver', t: send.t, msg: send.msg };
}

function readMsgSend(reader: BatchReader): MsgSendEvent {
  const flags = reader.u8();
  const kind = messageKinds[reader.u8()]!;
  const t = reader.delta(deltaField.t);
  const msg = reader.delta(deltaField.msg);
  const from = reader.uint();
  const to = reader.uint();
  const op = (flags & sendFlag.opNull) !== 0 ? null : reader.delta(deltaField.op);
  const delayMs = (flags & sendFlag.delivered) !== 0 ? 0 : reader.number();
  const event: MsgSendEvent = {
    type: 'msg-send',
    t,
    msg,
    kind,
    from,
    to,
    op,
    delayMs,
  };
  if ((flags & sendFlag.key) !== 0) event.key = reader.key((flags & sendFlag.sameKey) !== 0);
  if ((flags & sendFlag.ts) !== 0) event.ts = reader.timestamp();
  if ((flags & sendFlag.ranges) !== 0) event.ranges = reader.uint();
  if ((flags & sendFlag.keys) !== 0) event.keys = reader.uint();
  return event;
}

/** Fields in the order TracedOperation builds them: `to`, `applied`, then `from`. */
function readRepair(reader: BatchReader): RepairEvent {
  const applied = reader.u8() === 1;
  const flags = reader.u8();
  const t = reader.delta(deltaField.t);
  const op = reader.delta(deltaField.op);
  const node = reader.uint();
  const key = reader.string();
  const from = (flags & repairFlag.from) !== 0 ? reader.timestamp() : undefined;
  const event = { type: 'repair', t, op, node, key } as RepairEvent;
  if ((flags & repairFlag.to) !== 0) event.to = reader.timestamp();
  event.applied = applied;
  if (from !== undefined) event.from = from;
  return event;
}

function readOpInvoke(reader: BatchReader): OpInvokeEvent {
  const kindByte = reader.u8();
  const kind = dataOps[kindByte & ~sameClientFlag]!;
  const level = levelNames[reader.u8()]!;
  const t = reader.delta(deltaField.t);
  const op = reader.delta(deltaField.op);
  const node = reader.uint();
  let client: string;
  if ((kindByte & sameClientFlag) === 0) client = reader.string();
  else if (reader.lastClient === undefined)
    throw new Error('A trace batch repeats a client it never wrote.');
  else client = reader.lastClient;
  reader.lastClient = client;
  const key = reader.string();
  const event: OpInvokeEvent = { type: 'op-invoke', t, op, client, node, kind, key, level };
  const value = reader.optionalString();
  if (value !== undefined) event.value = value;
  if (typeof value === 'string') reader.invoked.set(op, value);
  return event;
}

function readOpComplete(reader: BatchReader): OpCompleteEvent {
  const ok = reader.u8() === 1;
  const found = reader.u8();
  const t = reader.delta(deltaField.t);
  const op = reader.delta(deltaField.op);
  const acks = reader.uint();
  const required = reader.uint();
  const replicaCount = reader.uint();
  let value: string | null | undefined;
  if (reader.peek() === presence.asInvoked) {
    reader.offset++;
    value = reader.invoked.get(op);
    if (value === undefined)
      throw new Error('A trace batch completes a write with the value of an invocation it lacks.');
  } else value = reader.optionalString();
  reader.invoked.delete(op);
  const replicas: ReplicaNote[] = [];
  for (let i = 0; i < replicaCount; i++) {
    const state = replicaStates[reader.u8()]!;
    const node = reader.uint();
    const replica: ReplicaNote = { node, state };
    if (reader.u8() === presence.present) replica.ts = reader.timestamp();
    replicas.push(replica);
  }
  const event = { type: 'op-complete', t, op, ok } as OpCompleteEvent;
  if (value !== undefined) event.value = value;
  if (found !== presence.absent) event.found = found === 2;
  event.acks = acks;
  event.required = required;
  event.replicas = replicas;
  if (reader.u8() === presence.present) {
    const code = reader.string() as ErrorCode;
    event.error = { code, message: reader.string() };
  }
  return event;
}

/** Reads a batch's fields in order. */
class BatchReader {
  offset = 0;
  /** The key of the last record that wrote one in full (BatchWriter.lastKey). */
  lastKey: string | undefined;
  readonly #bytes: Buffer;
  readonly #view: DataView;
  /** The client of the last op-invoke (BatchWriter.lastClient). */
  lastClient: string | undefined;
  /** The values of the writes invoked and not yet completed (BatchWriter.invoked). */
  readonly invoked = new Map<number, string>();
  /** The last `msgSend` record's event, and whether it was delivered at once (`msgSendLike`). */
  lastSend: MsgSendEvent | undefined;
  lastSendDelivered = false;
  /** Each delta field's last value (BatchWriter.delta). */
  readonly #last = new Float64Array(4);

  constructor(bytes: Uint8Array) {
    this.#bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.offset >= this.#bytes.length;
  }

  /** The next byte, not consumed. */
  peek(): number {
    if (this.offset >= this.#bytes.length) throw new Error('A trace batch ends inside a record.');
    return this.#bytes[this.offset]!;
  }

  u8(): number {
    if (this.offset >= this.#bytes.length) throw new Error('A trace batch ends inside a record.');
    return this.#bytes[this.offset++]!;
  }

  number(): number {
    const value = this.#view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  /** A number BatchWriter.uint wrote. */
  uint(): number {
    let byte = this.u8();
    if (byte === 0) return this.number();
    let value = byte & 0x7f;
    let scale = 0x80;
    while ((byte & 0x80) !== 0) {
      byte = this.u8();
      value += (byte & 0x7f) * scale;
      scale *= 0x80;
    }
    return value - 1;
  }

  /** A field BatchWriter.delta wrote: a difference from the field's last value, or itself. */
  delta(field: DeltaField): number {
    let value: number;
    if (this.peek() === 0) {
      this.offset++;
      value = this.number();
    } else {
      const zigzag = this.uint();
      value = this.#last[field]! + (zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2);
    }
    this.#last[field] = value;
    return value;
  }

  /** A field BatchWriter.next left out: its last value + 1. */
  next(field: DeltaField): number {
    const value = this.#last[field]! + 1;
    this.#last[field] = value;
    return value;
  }

  /** A send's key: written, or (`same`) the last one written. */
  key(same: boolean): string {
    if (!same) return (this.lastKey = this.string());
    if (this.lastKey === undefined) throw new Error('A trace batch repeats a key it never wrote.');
    return this.lastKey;
  }

  string(): string {
    const length = this.uint();
    const start = this.offset;
    this.offset = start + length;
    if (this.offset > this.#bytes.length) throw new Error('A trace batch ends inside a string.');
    return this.#bytes.toString('utf8', start, this.offset);
  }

  optionalString(): string | null | undefined {
    const there = this.u8();
    return there === presence.absent ? undefined : there === presence.null ? null : this.string();
  }

  timestamp(): Timestamp {
    const wallMs = this.delta(deltaField.wallMs);
    return { wallMs, counter: this.uint(), nodeId: this.uint() };
  }
}
