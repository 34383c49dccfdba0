import type { Socket } from 'node:net';
import { QuartetError } from '../core/errors.js';
import type { TraceRequest } from '../core/messages.js';
import type { FrameWriter } from '../protocol/frame-writer.js';
import type { TraceEvent } from '../trace/trace-format.js';
import {
  IpcTracer,
  traceBufferBytesMax,
  traceBufferEventsMax,
  type SendBatch,
} from './ipc-tracer.js';
import { nodeOperationIds, type TraceNote, type Tracer } from './tracer.js';

/**
 * Bytes of trace frames an operator connection may have unsent before the node waits for it to
 * drain: meanwhile the node's buffer fills and further events are counted as dropped.
 */
export const operatorTraceUnsentBytesMax = 2 * traceBufferBytesMax;

/**
 * The tracer of a node started without a trace (`quartet node`): off (`enabled` false, as
 * noTracer) until an operator connection asks for the trace; then an IpcTracer whose batches go
 * on that connection, with the same bounds. One operator at a time. Message and operation ids
 * count on across traces, so a trace started again never repeats one.
 */
export class SwitchableTracer implements Tracer {
  enabled = false;
  readonly switchable = true;
  readonly #nodeId: number;
  readonly #messageBase: number;
  readonly #nextOperationId: () => number;
  #messages = 0;
  #inner: IpcTracer | undefined;
  /** Whom the trace goes to: the operator connection that started it. */
  #owner: object | undefined;

  constructor(nodeId: number) {
    this.#nodeId = nodeId;
    this.#messageBase = nodeId * 2 ** 32;
    this.#nextOperationId = nodeOperationIds(nodeId);
  }

  /** Sends the trace with `send`, times in µs since `originUs` on the host clock. */
  start(owner: object, originUs: number, send: SendBatch): void {
    if (this.#owner !== undefined && this.#owner !== owner) {
      throw new QuartetError(
        'OVERLOADED',
        `Node ${this.#nodeId} already sends its trace to another attached orchestrator (one at a time); its messages are not shown here until that one leaves.`,
      );
    }
    this.#inner?.flush();
    const [events, bytes] = [traceBufferEventsMax, traceBufferBytesMax];
    this.#inner = new IpcTracer(this.#nodeId, originUs, send, events, bytes, this.#messages);
    this.#owner = owner;
    this.enabled = true;
  }

  /** Ends the trace of `owner` (the events so far are sent); others' requests change nothing. */
  stop(owner: object): void {
    if (owner !== this.#owner) return;
    this.enabled = false;
    this.#inner?.flush();
    this.#inner = undefined;
    this.#owner = undefined;
  }

  /** Runs `done` once every event emitted so far is on the owner's connection. */
  whenSent(owner: object, done: () => void): void {
    if (owner !== this.#owner || this.#inner === undefined) return done();
    this.#inner.whenSent(done);
  }

  nowUs(): number {
    return this.#inner?.nowUs() ?? 0;
  }

  messageId(): number {
    if (this.#inner === undefined) return 0;
    const id = this.#inner.messageId();
    this.#messages = id - this.#messageBase;
    return id;
  }

  operationId(): number {
    return this.#nextOperationId();
  }

  // An operation traced when the trace stopped ends untraced: its events go nowhere.
  emit(event: TraceEvent): void {
    this.#inner?.emit(event);
  }

  emitSend(t: number, msg: number, from: number, to: number, note: TraceNote, delayMs: number) {
    this.#inner?.emitSend(t, msg, from, to, note, delayMs);
  }

  emitDeliver(t: number, msg: number): void {
    this.#inner?.emitDeliver(t, msg);
  }
}

/** An operator connection as a trace's destination (the server's record of it: one per socket). */
export interface TraceConnection {
  writer: FrameWriter;
  socket: Socket;
}

/**
 * Answers an operator's trace request on `connection` (the trace's owner). `tracer` undefined:
 * this node traces to the orchestrator that forked it, or not at all, and refuses.
 */
export function answerTraceRequest(
  tracer: SwitchableTracer | undefined,
  request: TraceRequest,
  connection: TraceConnection,
  nodeId: number,
): void {
  const { writer } = connection;
  if (tracer === undefined) {
    throw new QuartetError(
      'BAD_REQUEST',
      `Node ${nodeId} was started by an orchestrator and sends its trace to it over IPC; attach to nodes started with \`quartet node\`.`,
    );
  }
  const ack = () => void writer.write({ type: 'control-ack', id: request.id });
  switch (request.type) {
    case 'trace-start':
      tracer.start(connection, request.originUs, sendOn(connection, nodeId));
      return ack();
    case 'trace-stop':
      tracer.stop(connection);
      return ack();
    case 'trace-flush':
      return tracer.whenSent(connection, ack);
  }
}

// A batch as a `trace` frame; the next waits while the connection has too much unsent.
function sendOn(connection: TraceConnection, nodeId: number): SendBatch {
  const { writer, socket } = connection;
  const whenDrained = (done: () => void): void => {
    if (!writer.writable) return; // the connection closed: its trace stops with it
    if (writer.unsentBytes <= operatorTraceUnsentBytesMax) return done();
    if (socket.writableLength > 0) socket.once('drain', () => whenDrained(done));
    else setImmediate(() => whenDrained(done));
  };
  return ({ count, bytes, messages }, done) => {
    writer.write({ type: 'trace', nodeId, count, bytes, messages });
    whenDrained(done);
  };
}
