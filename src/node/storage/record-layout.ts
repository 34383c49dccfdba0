import type { Timestamp } from '../../core/clock.js';
import type { Version } from '../../core/version.js';
import type { KeyProbe } from './key-probe.js';
import type { Slab } from './slab-arena.js';
import {
  encodedBytes,
  encodingAscii,
  encodingOf,
  readText,
  writeText,
  type TextEncoding,
} from './text-encoding.js';

/*
 * One version of a key in a slab, little-endian, unaligned:
 *   0  u32 hash of the key       12 f64 ts.wallMs     28 u8 flags
 *   4  u32 key bytes             20 u32 ts.counter    29 key bytes, then value bytes
 *   8  u32 value bytes           24 u32 ts.nodeId
 * A tombstone has no value bytes. Flags: dead, tombstone, the key's and the value's form.
 */
export const recordHeaderBytes = 29;
/** The largest counter and node id a record holds (u32). */
export const timestampFieldMax = 0xffff_ffff;

const hashAt = 0;
const keyBytesAt = 4;
const valueBytesAt = 8;
const wallMsAt = 12;
const counterAt = 20;
const nodeIdAt = 24;
const flagsAt = 28;

const deadFlag = 1;
const tombstoneFlag = 2;
const keyEncodingShift = 2;
const valueEncodingShift = 4;
const encodingMask = 3;

export function recordBytes(slab: Slab, at: number): number {
  return (
    recordHeaderBytes +
    slab.view.getUint32(at + keyBytesAt, true) +
    slab.view.getUint32(at + valueBytesAt, true)
  );
}

export function recordHash(slab: Slab, at: number): number {
  return slab.view.getUint32(at + hashAt, true);
}

export function isRecordDead(slab: Slab, at: number): boolean {
  return (slab.bytes[at + flagsAt]! & deadFlag) !== 0;
}

export function isRecordTombstone(slab: Slab, at: number): boolean {
  return (slab.bytes[at + flagsAt]! & tombstoneFlag) !== 0;
}

export function markRecordDead(slab: Slab, at: number): void {
  slab.bytes[at + flagsAt] = slab.bytes[at + flagsAt]! | deadFlag;
}

export function recordKeyMatches(slab: Slab, at: number, probe: KeyProbe): boolean {
  const flags = slab.bytes[at + flagsAt]!;
  if (((flags >>> keyEncodingShift) & encodingMask) !== probe.encoding) return false;
  return probe.matches(
    slab.bytes,
    at + recordHeaderBytes,
    slab.view.getUint32(at + keyBytesAt, true),
  );
}

export function readRecordKey(slab: Slab, at: number): string {
  const start = at + recordHeaderBytes;
  const encoding = ((slab.bytes[at + flagsAt]! >>> keyEncodingShift) &
    encodingMask) as TextEncoding;
  return readText(slab.bytes, start, start + slab.view.getUint32(at + keyBytesAt, true), encoding);
}

export function readRecordVersion(slab: Slab, at: number): Version {
  const flags = slab.bytes[at + flagsAt]!;
  const ts: Timestamp = {
    wallMs: slab.view.getFloat64(at + wallMsAt, true),
    counter: slab.view.getUint32(at + counterAt, true),
    nodeId: slab.view.getUint32(at + nodeIdAt, true),
  };
  if ((flags & tombstoneFlag) !== 0) return { value: null, ts };
  const start = at + recordHeaderBytes + slab.view.getUint32(at + keyBytesAt, true);
  const encoding = ((flags >>> valueEncodingShift) & encodingMask) as TextEncoding;
  return {
    value: readText(
      slab.bytes,
      start,
      start + slab.view.getUint32(at + valueBytesAt, true),
      encoding,
    ),
    ts,
  };
}

/** The value's bytes and form, worked out before the record's room is reserved. */
export interface ValueLayout {
  bytes: number;
  encoding: TextEncoding;
}

export function writeRecord(
  slab: Slab,
  at: number,
  probe: KeyProbe,
  version: Version,
  value: ValueLayout,
): void {
  const keyBytes = probe.byteLength();
  slab.view.setUint32(at + hashAt, probe.hash, true);
  slab.view.setUint32(at + keyBytesAt, keyBytes, true);
  slab.view.setUint32(at + valueBytesAt, value.bytes, true);
  slab.view.setFloat64(at + wallMsAt, version.ts.wallMs, true);
  slab.view.setUint32(at + counterAt, version.ts.counter, true);
  slab.view.setUint32(at + nodeIdAt, version.ts.nodeId, true);
  const kind = version.value === null ? tombstoneFlag : 0;
  slab.bytes[at + flagsAt] =
    kind | (probe.encoding << keyEncodingShift) | (value.encoding << valueEncodingShift);
  probe.copyTo(slab.bytes, at + recordHeaderBytes);
  if (version.value !== null) {
    writeText(
      slab.bytes,
      version.value,
      at + recordHeaderBytes + keyBytes,
      value.bytes,
      value.encoding,
    );
  }
}

/** Throws when a timestamp does not fit a record: HLC counters and node ids stay far below. */
export function checkRecordTimestamp(ts: Timestamp): void {
  checkTimestampField('counter', ts.counter);
  checkTimestampField('nodeId', ts.nodeId);
}

function checkTimestampField(name: string, n: number): void {
  if (Number.isInteger(n) && n >= 0 && n <= timestampFieldMax) return;
  throw new RangeError(
    `Expected \`ts.${name}\` to be an integer from 0 to ${timestampFieldMax}, got ${n}.`,
  );
}

/** Works out a value's bytes and form into `layout` (reused, so a put allocates nothing). */
export function layoutValue(value: string | null, layout: ValueLayout): void {
  if (value === null) {
    layout.bytes = 0;
    layout.encoding = encodingAscii;
    return;
  }
  const utf8Bytes = Buffer.byteLength(value, 'utf8');
  layout.encoding = encodingOf(value, utf8Bytes);
  layout.bytes = encodedBytes(value, layout.encoding, utf8Bytes);
}
