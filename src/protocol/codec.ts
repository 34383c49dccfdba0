import { Packr } from 'msgpackr';

// MessagePack: compact, fast, and carries binary (nonces, MACs) without base64.
const packr = new Packr({ useRecords: false, moreTypes: false, bundleStrings: false });

export function encodeBody(message: unknown): Buffer {
  return packr.pack(message);
}

export function decodeBody(body: Buffer): unknown {
  return packr.unpack(body);
}
