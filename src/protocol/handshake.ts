import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const nonceBytes = 16;

export function createNonce(): Buffer {
  return randomBytes(nonceBytes);
}

/**
 * Which side of the peer handshake a proof is from. The labels differ so that a proof one side
 * sent can never be reflected back as the other side's.
 */
export type HandshakeRole = 'client' | 'server' | 'operator' | 'operator-server';

/** The `from` of an operator's proof: not a node, the orchestrator attached to the cluster. */
export const operatorId = 0;

/** Both nonces of one handshake: the listener's (in its welcome) and the dialer's (in its auth). */
export interface HandshakeNonces {
  server: Uint8Array;
  client: Uint8Array;
}

/**
 * The proof one side of a peer handshake sends: HMAC-SHA256 under the cluster secret over its
 * role, both nonces, and its own id then the other side's. The dialer sends the `client` proof
 * with `from` its id; the listener answers with the `server` proof with `from` its id.
 */
export function computeMac(
  secret: string,
  role: HandshakeRole,
  nonces: HandshakeNonces,
  from: number,
  to: number,
): Buffer {
  return createHmac('sha256', secret)
    .update(`quartet-handshake-${role}\n`)
    .update(nonces.server)
    .update(nonces.client)
    .update(`${from}->${to}`)
    .digest();
}

export function verifyMac(
  secret: string,
  role: HandshakeRole,
  nonces: HandshakeNonces,
  from: number,
  to: number,
  mac: Uint8Array,
): boolean {
  const expected = computeMac(secret, role, nonces, from, to);
  return mac.length === expected.length && timingSafeEqual(expected, mac);
}
