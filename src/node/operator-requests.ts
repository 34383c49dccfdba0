// What an operator (an orchestrator attached to running nodes) asks of a node: its handshake,
// control messages (faults) and the node's trace, each only after the handshake proved the
// cluster secret.
import type { Socket } from 'node:net';
import { QuartetError } from '../core/errors.js';
import type { ClientRequest, TraceRequest } from '../core/messages.js';
import type { ControlMessage } from '../protocol/control.js';
import type { FrameWriter } from '../protocol/frame-writer.js';
import { computeMac, operatorId, verifyMac } from '../protocol/handshake.js';
import type { Logger } from './logger.js';
import { answerTraceRequest, type SwitchableTracer } from './operator-trace.js';

export type OperatorRequest =
  Extract<ClientRequest, { type: 'operator' | 'control' }> | TraceRequest;

/** The connection an operator request came on, as the server keeps it. */
export interface OperatorConnection {
  socket: Socket;
  writer: FrameWriter;
  /** This node's nonce in its welcome: the server half of the handshake's nonces. */
  nonce: Buffer;
  /** Set once the operator proved the cluster secret. */
  operator?: boolean;
}

export interface OperatorContext {
  nodeId: number;
  secret: string;
  handlers: {
    onControl(control: ControlMessage): boolean;
    operatorTracer?: SwitchableTracer;
  };
  logger: Logger;
}

export function isOperatorRequest(request: ClientRequest): request is OperatorRequest {
  return (
    request.type === 'operator' ||
    request.type === 'control' ||
    request.type === 'trace-start' ||
    request.type === 'trace-stop' ||
    request.type === 'trace-flush'
  );
}

/**
 * Answers an operator request on its connection. Returns the error a failed handshake ends
 * with (the server refuses with it and closes the connection); other refusals are thrown.
 */
export function answerOperatorRequest(
  request: OperatorRequest,
  connection: OperatorConnection,
  context: OperatorContext,
): QuartetError | undefined {
  if (request.type === 'operator') return authenticateOperator(request, connection, context);
  if (connection.operator !== true) {
    throw new QuartetError(
      'UNAUTHORIZED',
      request.type === 'control'
        ? 'A control message (a fault) needs an operator connection that proved the cluster secret.'
        : "A node's trace goes only to an operator connection that proved the cluster secret.",
    );
  }
  if (request.type === 'control') {
    control(request, connection, context);
    return undefined;
  }
  answerTraceRequest(context.handlers.operatorTracer, request, connection, context.nodeId);
  return undefined;
}

/**
 * The operator proves the cluster secret over both nonces (as a peer does, with its own labels
 * and the operator id); the node answers with its own proof.
 */
function authenticateOperator(
  request: Extract<ClientRequest, { type: 'operator' }>,
  connection: OperatorConnection,
  { nodeId, secret }: OperatorContext,
): QuartetError | undefined {
  const nonces = { server: connection.nonce, client: request.nonce };
  if (!verifyMac(secret, 'operator', nonces, operatorId, nodeId, request.mac)) {
    return new QuartetError(
      'UNAUTHORIZED',
      `The operator handshake failed: wrong cluster secret. Give the nodes' secret (QUARTET_SECRET, --secret-file or DIR/secret) to the command that attached.`,
    );
  }
  connection.operator = true;
  const mac = computeMac(secret, 'operator-server', nonces, nodeId, operatorId);
  connection.writer.write({ type: 'operator-ok', id: request.id, mac });
  return undefined;
}

function control(
  request: Extract<ClientRequest, { type: 'control' }>,
  connection: OperatorConnection,
  { nodeId, handlers, logger }: OperatorContext,
): void {
  const message = request.control as ControlMessage;
  if (!handlers.onControl(message))
    throw new QuartetError('BAD_REQUEST', `Node ${nodeId} cannot apply ${message.type}.`);
  logger.info(`control from an operator: ${JSON.stringify(message)}`);
  connection.writer.write({ type: 'control-ack', id: request.id });
}
