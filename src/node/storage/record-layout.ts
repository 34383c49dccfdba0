import type { Timestamp } from '../../core/clock.js';
import type { Version } from '../../core/version.js';
import type { KeyProbe } from './key-probe.js';
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

export function recordBytes(slab: Buffer, at: number): number {
  return (
    recordHeaderBytes + slab.readUInt32LE(at + keyBytesAt) + slab.readUInt32LE(at + valueBytesAt)
  );
}

export function recordHash(slab: Buffer, at: number): number {
  return slab.readUInt32LE(at + hashAt);
}

export function isRecordDead(slab: Buffer, at: number): boolean {
  return (slab[at + flagsAt]! & deadFlag) !== 0;
}

export function isRecordTombstone(slab: Buffer, at: number): boolean {
  return (slab[at + flagsAt]! & tombstoneFlag) !== 0;
}

export function markRecordDead(slab: Buffer, at: number): void {
  slab[at + flagsAt] = slab[at + flagsAt]! | deadFlag;
}

export function recordKeyMatches(slab: Buffer, at: number, probe: KeyProbe): boolean {
  const flags = slab[at + flagsAt]!;
  if (((flags >>> keyEncodingShift) & encodingMask) !== probe.encoding) return false;
  return probe.matches(slab, at + recordHeaderBytes, slab.readUInt32LE(at + keyBytesAt));
}

export function readRecordKey(slab: Buffer, at: number): string {
  const start = at + recordHeaderBytes;
  const encoding = ((slab[at + flagsAt]! >>> keyEncodingShift) & encodingMask) as TextEncoding;
  return readText(slab, start, start + slab.readUInt32LE(at + keyBytesAt), encoding);
}

export function readRecordVersion(slab: Buffer, at: number): Version {
  const flags = slab[at + flagsAt]!;
  const ts: Timestamp = {
    wallMs: slab.readDoubleLE(at + wallMsAt),
    counter: slab.readUInt32LE(at + counterAt),
    nodeId: slab.readUInt32LE(at + nodeIdAt),
  };
  if ((flags & tombstoneFlag) !== 0) return { value: null, ts };
  const start = at + recordHeaderBytes + slab.readUInt32LE(at + keyBytesAt);
  const encoding = ((flags >>> valueEncodingShift) & encodingMask) as TextEncoding;
  return {
    value: readText(slab, start, start + slab.readUInt32LE(at + valueBytesAt), encoding),
    ts,
  };
}

/** The value's bytes and form, worked out before the record's room is reserved. */
export interface ValueLayout {
  bytes: number;
  encoding: TextEncoding;
}

export function writeRecord(
  slab: Buffer,
  at: number,
  probe: KeyProbe,
  version: Version,
  value: ValueLayout,
): void {
  const keyBytes = probe.byteLength();
  slab.writeUInt32LE(probe.hash, at + hashAt);
  slab.writeUInt32LE(keyBytes, at + keyBytesAt);
  slab.writeUInt32LE(value.bytes, at + valueBytesAt);
  slab.writeDoubleLE(version.ts.wallMs, at + wallMsAt);
  slab.writeUInt32LE(version.ts.counter, at + counterAt);
  slab.writeUInt32LE(version.ts.nodeId, at + nodeIdAt);
  const kind = version.value === null ? tombstoneFlag : 0;
  slab[at + flagsAt] =
    kind | (probe.encoding << keyEncodingShift) | (value.encoding << valueEncodingShift);
  probe.copyTo(slab, at + recordHeaderBytes);
  if (version.value !== null) {
    writeText(slab, version.value, at + recordHeaderBytes + keyBytes, value.bytes, value.encoding);
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
