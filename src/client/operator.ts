import { QuartetError } from '../core/errors.js';
import type { ControlMessage } from '../protocol/control.js';
import { computeMac, createNonce, operatorId, verifyMac } from '../protocol/handshake.js';
import type { QuartetClient } from './client.js';

// The operator's side of a client connection: the orchestrator attached to nodes it did not
// start proves the cluster secret, then sends faults the nodes apply themselves.

/**
 * Proves the cluster secret to the node at the other end of `client`, and checks the node's
 * proof back: then `sendControl` may send faults. Rejects with UNAUTHORIZED (closing the
 * connection) when the node's proof is wrong; the node closes it when ours is.
 */
export async function authenticateOperator(client: QuartetClient, secret: string): Promise<void> {
  const nonce = client.welcomeNonce;
  if (nonce === undefined) {
    throw new QuartetError('UNAUTHORIZED', `Node ${client.nodeId} sent no nonce in its welcome.`);
  }
  const nonces = { server: nonce, client: createNonce() };
  const mac = computeMac(secret, 'operator', nonces, operatorId, client.nodeId);
  const reply = await client.send({ type: 'operator', nonce: nonces.client, mac }).reply;
  const proof = reply.mac;
  if (
    !(proof instanceof Uint8Array) ||
    !verifyMac(secret, 'operator-server', nonces, client.nodeId, operatorId, proof)
  ) {
    client.close();
    throw new QuartetError(
      'UNAUTHORIZED',
      `The node at ${client.nodeId}'s address did not prove the cluster secret; it may not be a quartet node of this cluster.`,
    );
  }
}

/** Sends a fault (delay, loss, partition, skew) on an operator connection; resolves on its ack. */
export async function sendControl(client: QuartetClient, control: ControlMessage): Promise<void> {
  await client.send({ type: 'control', control }).reply;
}

/**
 * Asks the node to send its trace on this operator connection, times in µs since `originUs` on
 * the host clock (the node counts from its own clock: on another host, off by the clocks'
 * difference). Batches arrive through `client.onTrace`; fails with OVERLOADED when another
 * operator traces the node.
 */
export async function startTrace(client: QuartetClient, originUs: number): Promise<void> {
  await client.send({ type: 'trace-start', originUs }).reply;
}

/** Resolves once every batch of events the node emitted so far has arrived. */
export async function flushTrace(client: QuartetClient): Promise<void> {
  await client.send({ type: 'trace-flush' }).reply;
}

export async function stopTrace(client: QuartetClient): Promise<void> {
  await client.send({ type: 'trace-stop' }).reply;
}
