import type { Socket } from 'node:net';
import { QuartetError } from '../core/errors.js';
import type { LevelName } from '../core/levels.js';
import type {
  ClientReply,
  ClientRequest,
  NodeStats,
  OpResult,
  RepairEvent,
  StoredEntry,
  WireLimits,
} from '../core/messages.js';
import type { Version } from '../core/version.js';
import { FrameDecoder } from '../protocol/frame.js';
import { FrameWriter } from '../protocol/frame-writer.js';
import { encodeDataRequest, type DataRequest } from '../protocol/request-wire.js';
import type { SentOperation } from '../protocol/result-wire.js';
import { expectKey, expectValue } from '../protocol/validate-fields.js';
import { PendingReplies, type ReplyCallback } from './pending-replies.js';
import { openWelcomed } from './welcome.js';

export type { ReplyCallback } from './pending-replies.js';

type RequestBody = ClientRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

/** A traced node's batch of encoded events (its bytes are checked where they are decoded). */
export type TraceBatchFrame = Extract<ClientReply, { type: 'trace' }>;

export interface ConnectOptions {
  host: string;
  port: number;
  /** How long to wait for the node's welcome. Default 5000. */
  connectTimeoutMs?: number;
}

/** A request sent, with its id (repair events name it) and its answer to come. */
export interface Sent<T> {
  id: number;
  reply: Promise<T>;
}

/**
 * A connection to one quartet node. Requests pipeline on it; replies may come out of order.
 *
 * @example
 * const client = await QuartetClient.connect({ host: '127.0.0.1', port: 10000 });
 * await client.insert('5', '1', 'one');
 * const { value } = await client.get('5', 'all');
 * client.close();
 */
export class QuartetClient {
  /** The id of the node at the other end, from its welcome. */
  readonly nodeId: number;
  /** The sizes the node accepts, from its welcome; requests over them fail here, unsent. */
  readonly limits: WireLimits | undefined;
  readonly #socket: Socket;
  readonly #writer: FrameWriter;
  readonly #pending: PendingReplies;
  readonly #repairListeners = new Set<(event: RepairEvent, requestId: number) => void>();
  readonly #closeListeners = new Set<() => void>();
  readonly #traceListeners = new Set<(batch: TraceBatchFrame) => void>();
  /** The node's nonce from its welcome: the server half of an operator handshake. */
  readonly #welcomeNonce: Uint8Array | undefined;
  #nextId = 1;
  #closed = false;

  private constructor(
    socket: Socket,
    nodeId: number,
    limits: WireLimits | undefined,
    decoder: FrameDecoder,
    welcomeNonce: Uint8Array | undefined,
  ) {
    this.#socket = socket;
    this.#welcomeNonce = welcomeNonce;
    this.nodeId = nodeId;
    this.limits = limits;
    this.#writer = new FrameWriter(socket);
    this.#pending = new PendingReplies(nodeId);
    socket.on('data', (chunk) => {
      try {
        for (const message of decoder.push(chunk)) this.#receive(message);
      } catch (error) {
        socket.destroy(error as Error);
      }
    });
    socket.on('close', () => {
      this.#closed = true;
      const error = new QuartetError(
        'NODE_UNREACHABLE',
        `The connection to node ${nodeId} closed; the node may be down.`,
      );
      this.#pending.failAll(error);
      for (const listener of this.#closeListeners) listener();
    });
  }

  /** Connects and waits for the node's welcome frame. */
  static async connect(options: ConnectOptions): Promise<QuartetClient> {
    const { socket, decoder, welcome, rest } = await openWelcomed(options);
    const client = new QuartetClient(
      socket,
      welcome.nodeId,
      welcome.limits,
      decoder,
      welcome.nonce,
    );
    for (const message of rest) client.#receive(message);
    return client;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get(key: string, level?: LevelName): Promise<OpResult> {
    return this.sendGet(key, level).reply;
  }

  insert(key: string, value: string, level?: LevelName): Promise<OpResult> {
    return this.sendPut('insert', key, value, level).reply;
  }

  update(key: string, value: string, level?: LevelName): Promise<OpResult> {
    return this.sendPut('update', key, value, level).reply;
  }

  delete(key: string, level?: LevelName): Promise<OpResult> {
    return this.sendDelete(key, level).reply;
  }

  /** `traceOp`: the history's id of the operation, which a traced node names it by (the prompt's). */
  sendGet(key: string, level?: LevelName, traceOp?: number): Sent<OpResult> {
    return this.#promised((onResult) => this.submitGet(key, level, onResult, traceOp));
  }

  sendPut(
    op: 'insert' | 'update',
    key: string,
    value: string,
    level?: LevelName,
    traceOp?: number,
  ): Sent<OpResult> {
    return this.#promised((onResult) => this.submitPut(op, key, value, level, onResult, traceOp));
  }

  sendDelete(key: string, level?: LevelName, traceOp?: number): Sent<OpResult> {
    return this.#promised((onResult) => this.submitDelete(key, level, onResult, traceOp));
  }

  /**
   * `sendGet`, `sendPut` and `sendDelete` with a callback instead of a promise, for load
   * generators: no promise or microtask per request. Each returns the request id.
   */
  submitGet(
    key: string,
    level: LevelName | undefined,
    onResult: ReplyCallback<OpResult>,
    traceOp?: number,
  ): number {
    const request: DataRequest = { type: 'get', id: this.#nextId++, key, level, traceOp };
    return this.#submitData(request, { op: 'get', key, coordinator: this.nodeId }, onResult);
  }

  submitPut(
    op: 'insert' | 'update',
    key: string,
    value: string,
    level: LevelName | undefined,
    onResult: ReplyCallback<OpResult>,
    traceOp?: number,
  ): number {
    const request: DataRequest = {
      type: 'put',
      id: this.#nextId++,
      op,
      key,
      value,
      level,
      traceOp,
    };
    return this.#submitData(request, { op, key, coordinator: this.nodeId }, onResult);
  }

  submitDelete(
    key: string,
    level: LevelName | undefined,
    onResult: ReplyCallback<OpResult>,
    traceOp?: number,
  ): number {
    const request: DataRequest = { type: 'delete', id: this.#nextId++, key, level, traceOp };
    return this.#submitData(request, { op: 'delete', key, coordinator: this.nodeId }, onResult);
  }

  async stats(): Promise<NodeStats> {
    return (await this.send({ type: 'stats' }).reply).stats as NodeStats;
  }

  async dump(): Promise<StoredEntry[]> {
    return (await this.send({ type: 'dump' }).reply).entries as StoredEntry[];
  }

  /** The node's nonce from its welcome: the server half of a handshake (src/client/operator.ts). */
  get welcomeNonce(): Uint8Array | undefined {
    return this.#welcomeNonce;
  }

  /** The version this node holds itself, without asking other replicas. */
  async local(key: string): Promise<Version | undefined> {
    return (await this.send({ type: 'local', key }).reply).version as Version | undefined;
  }

  /** Read repairs this node made after reads sent on this connection. */
  onRepair(listener: (event: RepairEvent, requestId: number) => void): () => void {
    this.#repairListeners.add(listener);
    return () => this.#repairListeners.delete(listener);
  }

  /** Trace batches the node sends on this connection after an operator's `trace-start`. */
  onTrace(listener: (batch: TraceBatchFrame) => void): () => void {
    this.#traceListeners.add(listener);
    return () => this.#traceListeners.delete(listener);
  }

  onClose(listener: () => void): void {
    this.#closeListeners.add(listener);
  }

  /** Sends any request; the reply is the raw reply frame. */
  send(body: RequestBody): Sent<Record<string, unknown>> {
    return this.#promised((onReply) =>
      this.#submit({ ...body, id: this.#nextId++ }, undefined, onReply),
    );
  }

  close(): void {
    this.#socket.destroy();
  }

  #promised<T>(submit: (onReply: ReplyCallback<T>) => number): Sent<T> {
    let id = 0;
    const reply = new Promise<T>((resolve, reject) => {
      id = submit((error, answer) => (error === undefined ? resolve(answer!) : reject(error)));
    });
    return { id, reply };
  }

  /** A get, put or delete, sent in its positional form (src/protocol/request-wire.ts). */
  #submitData(
    request: DataRequest,
    operation: SentOperation,
    onReply: ReplyCallback<OpResult>,
  ): number {
    return this.#submit(request, operation, onReply, encodeDataRequest(request));
  }

  /** Writes a request (as `wire`) and keeps its callback; on a closed connection, fails it at once. */
  #submit<T>(
    request: { id: number },
    operation: SentOperation | undefined,
    onReply: ReplyCallback<T>,
    wire: unknown = request,
  ): number {
    if (this.#closed) {
      onReply(
        new QuartetError('NODE_UNREACHABLE', `The connection to node ${this.nodeId} is closed.`),
      );
      return request.id;
    }
    const refusal = this.#checkSizes(request);
    if (refusal !== undefined) {
      onReply(refusal);
      return request.id;
    }
    this.#pending.add(request.id, onReply as ReplyCallback<never>, operation);
    this.#writer.write(wire);
    return request.id;
  }

  // A request the node would refuse for its size fails here: an oversize frame is never sent.
  #checkSizes(request: { id: number; key?: unknown; value?: unknown }): QuartetError | undefined {
    const limits = this.limits;
    if (limits === undefined) return undefined;
    try {
      if (request.key !== undefined) expectKey(request.key, limits);
      if (typeof request.value === 'string') expectValue(request.value, limits);
    } catch (error) {
      if (error instanceof QuartetError) return error;
      throw error;
    }
    return undefined;
  }

  #receive(raw: unknown): void {
    if (Array.isArray(raw)) {
      this.#pending.settleResult(raw);
      return;
    }
    const message = raw as Record<string, unknown>;
    const id = typeof message.id === 'number' ? message.id : 0;
    if (message.type === 'repair-event') {
      for (const listener of this.#repairListeners) listener(message.event as RepairEvent, id);
      return;
    }
    if (message.type === 'trace') {
      for (const listener of this.#traceListeners) listener(message as TraceBatchFrame);
      return;
    }
    this.#pending.settle(id, message);
  }
}
