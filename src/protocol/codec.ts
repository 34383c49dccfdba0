import { Packr } from 'msgpackr';

// MessagePack: compact, fast, and carries binary (nonces, MACs) without base64.
const packr = new Packr({ useRecords: false, moreTypes: false, bundleStrings: false });

export function encodeBody(message: unknown): Buffer {
  return packr.pack(message);
}

export function decodeBody(body: Buffer): unknown {
  return packr.unpack(body);
}

const bounds = { start: 0, end: 0 };

/** Decodes the body at `start`..`end` of a received chunk without making a view of it. */
export function decodeBodyAt(data: Buffer, start: number, end: number): unknown {
  bounds.start = start;
  bounds.end = end;
  return packr.unpack(data, bounds);
}
