/**
 * A MessagePack encoder for the per-operation messages (positional arrays of numbers, strings,
 * booleans, nil and nested arrays: src/protocol/peer-wire.ts, request-wire.ts, result-wire.ts)
 * that writes straight into the frame writer's chunk: no body buffer to copy, no view of one to
 * allocate, no dispatch on types these arrays never hold. Anything else (maps, binary,
 * undefined) is left to msgpackr: `flatPackBound` says -1. Any MessagePack decoder reads the
 * output; numbers take the forms msgpackr gives them (float64 past 32 bits).
 */

/** Strings up to this many UTF-16 units are bounded by 3 bytes a unit, longer ones measured. */
const stringUnitsEstimatedMax = 4096;
/** Strings shorter than this are copied by a loop while they are ASCII (cheaper than a call). */
const stringUnitsLoopMax = 64;

/** The most bytes `flatPack` writes for `array`, or -1 when it holds what only msgpackr packs. */
export function flatPackBound(array: readonly unknown[]): number {
  let bytes = 5;
  for (let i = 0; i < array.length; i++) {
    const value = array[i];
    if (value === null || typeof value === 'boolean') bytes += 1;
    else if (typeof value === 'number') bytes += 9;
    else if (typeof value === 'string') {
      const units = value.length;
      bytes +=
        5 + (units <= stringUnitsEstimatedMax ? units * 3 : Buffer.byteLength(value, 'utf8'));
    } else if (Array.isArray(value)) {
      const inner = flatPackBound(value);
      if (inner < 0) return -1;
      bytes += inner;
    } else return -1;
  }
  return bytes;
}

/** Writes `array` at `at` of `target` (room for `flatPackBound(array)` bytes); returns the end. */
export function flatPack(target: Buffer, at: number, array: readonly unknown[]): number {
  let end = at;
  const count = array.length;
  if (count < 16) target[end++] = 0x90 | count;
  else if (count < 0x10000) {
    target[end] = 0xdc;
    target.writeUInt16BE(count, end + 1);
    end += 3;
  } else {
    target[end] = 0xdd;
    target.writeUInt32BE(count, end + 1);
    end += 5;
  }
  for (let i = 0; i < count; i++) {
    const value = array[i];
    if (value === null) target[end++] = 0xc0;
    else if (value === false) target[end++] = 0xc2;
    else if (value === true) target[end++] = 0xc3;
    else if (typeof value === 'number') end = packNumber(target, end, value);
    else if (typeof value === 'string') end = packString(target, end, value);
    else end = flatPack(target, end, value as unknown[]);
  }
  return end;
}

function packNumber(target: Buffer, at: number, value: number): number {
  if (value >>> 0 === value) {
    if (value < 0x80) {
      target[at] = value;
      return at + 1;
    }
    if (value < 0x100) {
      target[at] = 0xcc;
      target[at + 1] = value;
      return at + 2;
    }
    if (value < 0x10000) {
      target[at] = 0xcd;
      target.writeUInt16BE(value, at + 1);
      return at + 3;
    }
    target[at] = 0xce;
    target.writeUInt32BE(value, at + 1);
    return at + 5;
  }
  if (value >> 0 === value) {
    if (value >= -0x20) {
      target[at] = value & 0xff;
      return at + 1;
    }
    if (value >= -0x80) {
      target[at] = 0xd0;
      target.writeInt8(value, at + 1);
      return at + 2;
    }
    if (value >= -0x8000) {
      target[at] = 0xd1;
      target.writeInt16BE(value, at + 1);
      return at + 3;
    }
    target[at] = 0xd2;
    target.writeInt32BE(value, at + 1);
    return at + 5;
  }
  target[at] = 0xcb;
  target.writeDoubleBE(value, at + 1);
  return at + 9;
}

function packString(target: Buffer, at: number, value: string): number {
  const units = value.length;
  if (units < stringUnitsLoopMax) {
    // A short ASCII string: the bytes are the units. Headers: fixstr below 32, else str8.
    const start = units < 32 ? at + 1 : at + 2;
    let i = 0;
    for (; i < units; i++) {
      const unit = value.charCodeAt(i);
      if (unit >= 0x80) break;
      target[start + i] = unit;
    }
    if (i === units) {
      if (units < 32) target[at] = 0xa0 | units;
      else {
        target[at] = 0xd9;
        target[at + 1] = units;
      }
      return start + units;
    }
  }
  // Written after the smallest header its units allow; moved on when its bytes need a larger one.
  const guess = headerBytes(units);
  const bytes = target.write(value, at + guess, 'utf8');
  const header = headerBytes(bytes);
  if (header > guess) target.copyWithin(at + header, at + guess, at + guess + bytes);
  if (header === 1) target[at] = 0xa0 | bytes;
  else if (header === 2) {
    target[at] = 0xd9;
    target[at + 1] = bytes;
  } else if (header === 3) {
    target[at] = 0xda;
    target.writeUInt16BE(bytes, at + 1);
  } else {
    target[at] = 0xdb;
    target.writeUInt32BE(bytes, at + 1);
  }
  return at + header + bytes;
}

/** The smallest MessagePack string header for a string of `bytes` bytes: fixstr, str8, 16, 32. */
function headerBytes(bytes: number): number {
  return bytes < 0x20 ? 1 : bytes < 0x100 ? 2 : bytes < 0x10000 ? 3 : 5;
}
