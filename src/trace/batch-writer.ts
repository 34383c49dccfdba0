import type { Timestamp } from '../core/clock.js';
import { presence } from './trace-codec.js';

/** The bytes a batch starts with; it doubles as events come, up to the writer's bound. */
const initialBatchBytes = 64 * 1024;
/** Strings up to this long are copied in JS when they are ASCII (keys, client names). */
const shortStringLength = 64;

/** Bytes a `uint` takes at most: a marker byte and a float64. */
export const uintBytesMax = 9;
/** The largest number `uint` writes in LEB128 (it writes the number + 1, at most 2^53 - 1). */
const uintLebMax = Number.MAX_SAFE_INTEGER - 1;
/** Four 7-bit groups: what a 32-bit integer holds of a number in LEB128. */
const lowGroups = 2 ** 28;

/**
 * Fields written as the difference from the same field's last value in the batch (`delta`): a
 * record's time, message and operation, a version's wall clock.
 */
export const deltaField = { t: 0, msg: 1, op: 2, wallMs: 3 } as const;
export type DeltaField = (typeof deltaField)[keyof typeof deltaField];
/** A difference `delta` writes in LEB128 (zigzag: twice it, or minus twice it minus one). */
const deltaMax = 2 ** 52 - 1;

/**
 * Writes invoked in a batch whose completions may say "the value invoked": more than a node
 * has in flight at once (a bench has 64 over all nodes).
 */
const invokedSlots = 256;

/** The fields a `msgSendLike` record shares with the send before it; `kind` -1: none yet. */
export interface SendShape {
  kind: number;
  delivered: number;
  key: string | undefined;
  /** The same version object (a fan-out sends one), not only equal. */
  ts: Timestamp | undefined;
  op: number | null;
  from: number;
  delayMs: number;
  ranges: number | undefined;
  keys: number | undefined;
}

/** Thrown by `room` (and caught by the encoder): the record does not fit within the bound. */
export const batchFull = Symbol('trace batch full');

/**
 * The bytes of one trace batch and the primitives its records are made of
 * (src/trace/trace-codec.ts): a byte, a float64, a UTF-8 string with its length. Two buffers:
 * `take` hands out the batch and goes on in the spare, which `recycle` gives back.
 */
export class BatchWriter {
  readonly #bytesMax: number;
  #bytes!: Buffer;
  #view!: DataView;
  /** Where the next byte goes; the encoder sets it back to drop a half-written record. */
  offset = 0;
  #spare: Buffer | undefined;
  /** Each delta field's last value in the batch; what `save` kept of them. */
  readonly #last = new Float64Array(4);
  readonly #saved = new Float64Array(4);
  #savedOffset = 0;
  /** The key of the batch's last record that wrote one in full (a send may then say "same"). */
  lastKey: string | undefined;
  #savedKey: string | undefined;
  /** The client of the batch's last `op-invoke` (the next may say "same"). */
  lastClient: string | undefined;
  #savedClient: string | undefined;
  /**
   * The batch's last `msg-send` record written whole: the next may be `msgSendLike` it. Set
   * once a record is complete, so a rewound one never changes it.
   */
  readonly lastSend: SendShape = {
    kind: -1,
    delivered: 0,
    key: undefined,
    ts: undefined,
    op: null,
    from: 0,
    delayMs: 0,
    ranges: undefined,
    keys: undefined,
  };
  /**
   * The values of writes invoked in this batch and not yet completed, by operation: a write's
   * `op-complete` says "the value invoked" instead of its value again. A slot per operation id
   * modulo invokedSlots (a value undefined: none), so no map to hash into: an invocation whose
   * slot a later one took completes with its value in full. Emptied with the batch.
   */
  readonly #invokedOps = new Float64Array(invokedSlots);
  readonly #invokedValues: (string | undefined)[] = new Array<undefined>(invokedSlots).fill(
    undefined,
  );

  constructor(bytesMax: number) {
    // A broken invariant: string lengths are written in at most 4 LEB128 bytes.
    if (!(bytesMax < 2 ** 28))
      throw new RangeError(`Expected a batch bound below 2^28, got ${bytesMax}.`);
    this.#bytesMax = bytesMax;
    this.#use(Buffer.allocUnsafeSlow(Math.min(initialBatchBytes, bytesMax)));
  }

  get bytesMax(): number {
    return this.#bytesMax;
  }

  /** The batch so far; the writer goes on in its spare buffer. */
  take(): Uint8Array {
    const batch = this.#bytes.subarray(0, this.offset);
    this.#restart();
    this.#use(this.#spare ?? Buffer.allocUnsafeSlow(Math.min(initialBatchBytes, this.#bytesMax)));
    this.#spare = undefined;
    return batch;
  }

  /** Takes back a batch `take` returned and that is no longer read: its buffer is the spare. */
  recycle(batch: Uint8Array): void {
    // The writer's buffers are never pooled (allocUnsafeSlow): each owns its ArrayBuffer.
    if (batch.byteOffset === 0) this.#spare = Buffer.from(batch.buffer);
  }

  /** Remembers where the batch stands; `rewind` goes back there (a half-written record). */
  save(): void {
    this.#savedOffset = this.offset;
    // Element by element: TypedArray#set is a call per record, these four are inlined.
    const last = this.#last;
    const saved = this.#saved;
    saved[0] = last[0]!;
    saved[1] = last[1]!;
    saved[2] = last[2]!;
    saved[3] = last[3]!;
    this.#savedKey = this.lastKey;
    this.#savedClient = this.lastClient;
  }

  rewind(): void {
    this.offset = this.#savedOffset;
    this.#last.set(this.#saved);
    this.lastKey = this.#savedKey;
    this.lastClient = this.#savedClient;
  }

  /**
   * Whether `value` is the field's last value + 1 exactly (`next` then writes nothing): a whole
   * number from 1 (so never -0) to 2^53 - 1.
   */
  follows(field: DeltaField, value: number): boolean {
    return value >= 1 && Number.isSafeInteger(value) && value - 1 === this.#last[field];
  }

  /** The field's value is its last + 1 (`follows`): kept for the next difference, not written. */
  next(field: DeltaField): void {
    this.#last[field] = this.#last[field]! + 1;
  }

  /**
   * Writes a time, message or operation as its difference from the field's last value in the
   * batch (whole numbers: 1-2 bytes for the close ones a node emits), or as a 0 byte and its
   * float64 when either is not a safe integer (or it is -0). The caller made room for
   * uintBytesMax.
   */
  delta(field: DeltaField, value: number): void {
    const last = this.#last[field]!;
    this.#last[field] = value;
    const difference = value - last;
    // Both safe integers (and not -0): the difference is exact, and so is last + difference.
    if (
      difference <= deltaMax &&
      difference >= -deltaMax &&
      Number.isSafeInteger(value) &&
      Number.isSafeInteger(last) &&
      (value !== 0 || 1 / value > 0)
    ) {
      // As `uint` of the zigzag difference: it + 1.
      return this.#leb(difference >= 0 ? 2 * difference + 1 : -2 * difference);
    }
    this.#bytes[this.offset++] = 0;
    this.f64(value);
  }

  /** Writes one byte; the caller made room. */
  byte(value: number): void {
    this.#bytes[this.offset++] = value;
  }

  /** Writes one float64; the caller made room. */
  f64(value: number): void {
    this.#view.setFloat64(this.offset, value, true);
    this.offset += 8;
  }

  /**
   * Writes a number in 1 to 9 bytes: a whole number from 0 to 2^53 - 2 (times, ids, counts) as
   * itself + 1 in LEB128 (7 bits a byte, low first; so its first byte is never 0), any other
   * as a 0 byte and its float64. The caller made room for uintBytesMax.
   */
  uint(value: number): void {
    const whole = value > 0 ? value <= uintLebMax && Number.isInteger(value) : Object.is(value, 0);
    if (!whole) {
      this.#bytes[this.offset++] = 0;
      return this.f64(value);
    }
    this.#leb(value + 1);
  }

  /** Writes a whole number from 1 to 2^53 - 1 in LEB128. */
  #leb(value: number): void {
    const bytes = this.#bytes;
    let at = this.offset;
    let rest = value;
    if (rest >= lowGroups) {
      // Past 28 bits: the low four groups from one remainder, then the rest in 32-bit integers.
      const low = rest % lowGroups;
      bytes[at++] = (low & 0x7f) | 0x80;
      bytes[at++] = ((low >>> 7) & 0x7f) | 0x80;
      bytes[at++] = ((low >>> 14) & 0x7f) | 0x80;
      bytes[at++] = (low >>> 21) | 0x80;
      rest = (rest - low) / lowGroups;
    }
    while (rest >= 0x80) {
      bytes[at++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    bytes[at++] = rest;
    this.offset = at;
  }

  /** Writes a string: its UTF-8 byte length + 1 in LEB128, then the bytes. */
  string(value: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; a long string is measured instead.
    const most = value.length <= 1024 ? 3 * value.length : Buffer.byteLength(value);
    // The length + 1 in LEB128 fits in 1 to 4 bytes (bytesMax < 2^28).
    const prefix = most < 0x7f ? 1 : most < 0x3fff ? 2 : most < 0x1f_ffff ? 3 : 4;
    this.room(prefix + most);
    const at = this.offset + prefix;
    const length = value.length <= shortStringLength ? writeAscii(this.#bytes, value, at) : -1;
    const written = length >= 0 ? length : this.#bytes.write(value, at, 'utf8');
    // The length in `prefix` bytes, padded with continuation bits when it needs fewer.
    let rest = written + 1;
    for (let i = this.offset; i < at - 1; i++) {
      this.#bytes[i] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    this.#bytes[at - 1] = rest;
    this.offset = at + written;
  }

  optionalString(value: string | null | undefined): void {
    this.room(1);
    this.byte(
      value === undefined ? presence.absent : value === null ? presence.null : presence.present,
    );
    if (typeof value === 'string') this.string(value);
  }

  timestamp(ts: Timestamp): void {
    this.room(3 * uintBytesMax);
    this.delta(deltaField.wallMs, ts.wallMs);
    this.uint(ts.counter);
    this.uint(ts.nodeId);
  }

  /** Makes room for `bytes` more, growing the batch up to the bound; throws batchFull past it. */
  room(bytes: number): void {
    const needed = this.offset + bytes;
    if (needed > this.#bytesMax) throw batchFull;
    if (needed <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafeSlow(Math.min(size, this.#bytesMax));
    const offset = this.offset;
    this.#bytes.copy(grown, 0, 0, offset);
    this.#use(grown);
    this.offset = offset;
  }

  #use(bytes: Buffer): void {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = 0;
  }

  /** A new batch: its first delta fields count from 0, its first key is written in full. */
  #restart(): void {
    this.#last.fill(0);
    this.lastKey = undefined;
    this.lastClient = undefined;
    this.lastSend.kind = -1;
    this.#invokedValues.fill(undefined);
  }

  /** Keeps the value of write `op`'s invocation, for its completion (`takeInvoked`). */
  invoked(op: number, value: string): void {
    const slot = (op >>> 0) % invokedSlots;
    this.#invokedOps[slot] = op;
    this.#invokedValues[slot] = value;
  }

  /** The value `invoked` kept for `op`, forgotten now; undefined when none is kept. */
  takeInvoked(op: number): string | undefined {
    const slot = (op >>> 0) % invokedSlots;
    if (this.#invokedOps[slot] !== op) return undefined;
    const value = this.#invokedValues[slot];
    this.#invokedValues[slot] = undefined;
    return value;
  }
}

/** Copies an ASCII string's bytes to `at`; -1 (bytes after `at` undefined) when it is not ASCII. */
function writeAscii(bytes: Buffer, value: string, at: number): number {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x80) return -1;
    bytes[at + i] = code;
  }
  return value.length;
}
