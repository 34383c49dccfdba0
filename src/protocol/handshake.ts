import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const nonceBytes = 16;

export function createNonce(): Buffer {
  return randomBytes(nonceBytes);
}

/** The proof a peer sends: HMAC-SHA256 over the server's nonce and both node ids. */
export function computeMac(secret: string, nonce: Uint8Array, from: number, to: number): Buffer {
  return createHmac('sha256', secret).update(nonce).update(`${from}->${to}`).digest();
}

export function verifyMac(
  secret: string,
  nonce: Uint8Array,
  from: number,
  to: number,
  mac: Uint8Array,
): boolean {
  const expected = computeMac(secret, nonce, from, to);
  return mac.length === expected.length && timingSafeEqual(expected, mac);
}
