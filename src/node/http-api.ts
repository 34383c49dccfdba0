import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { QuartetError, toErrorRecord, type ErrorCode } from '../core/errors.js';
import type { ClientReply, DataOp, NodeStats, OpResult, ServiceRequest } from '../core/messages.js';
import { OperationError } from '../core/operation-error.js';
import { decodeResult } from '../protocol/result-wire.js';
import { validateRequest, type SizeLimits } from '../protocol/validate.js';
import {
  httpConnectionsMax,
  httpHeaderBytesMax,
  httpIdleMs,
  httpInflightMax,
  httpRequestMsMax,
} from '../protocol/limits.js';
import { opResultJson, statusOfError } from './http-json.js';
import type { Logger } from './logger.js';
import type { ClientConnection } from './server.js';

export interface HttpApiOptions {
  nodeId: number;
  limits: SizeLimits;
  logger: Logger;
  /** Hands a client request to the node, as a client connection would. */
  handle: (request: ServiceRequest, connection: ClientConnection) => void;
  /** What each replica of `key` holds, as `search` shows it. */
  replicas: (key: string) => Promise<unknown>;
}

const routes = 'GET, PUT and DELETE /kv/{key}?level=L, GET /kv/{key}/replicas and GET /status';
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The node's HTTP API for clients in any language: the same requests as the MessagePack
 * protocol, JSON answers with the replica states, registry codes as JSON errors. Peers never
 * speak HTTP.
 */
export class HttpApi {
  readonly #options: HttpApiOptions;
  readonly #server: Server;
  #inflight = 0;
  #nextId = 1;

  constructor(options: HttpApiOptions) {
    this.#options = options;
    this.#server = createServer(
      {
        maxHeaderSize: httpHeaderBytesMax,
        keepAliveTimeout: httpIdleMs,
        requestTimeout: httpRequestMsMax,
        headersTimeout: Math.min(httpRequestMsMax, 10_000),
      },
      (request, response) => this.#serve(request, response),
    );
    this.#server.maxConnections = httpConnectionsMax;
    this.#server.on('clientError', (error, socket) => {
      // A request line or headers Node could not parse (or over maxHeaderSize): answer once.
      if (!socket.writable) return;
      const tooLarge = (error as NodeJS.ErrnoException).code === 'HPE_HEADER_OVERFLOW';
      const body = JSON.stringify({
        ok: false,
        error: {
          code: tooLarge ? 'TOO_LARGE' : 'BAD_REQUEST',
          message: tooLarge
            ? `The request's headers are over ${httpHeaderBytesMax} bytes; send fewer or shorter headers.`
            : 'The HTTP request could not be parsed; send HTTP/1.1.',
        },
      });
      socket.end(
        `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
  }

  listen(host: string, port: number): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) =>
        reject(
          new QuartetError(
            error.code === 'EADDRINUSE' ? 'PORT_IN_USE' : 'NODE_START_FAILED',
            `Node ${this.#options.nodeId} cannot serve HTTP on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use; free it or choose another httpPort' : error.message}.`,
            { cause: error },
          ),
        );
      this.#server.once('error', onError);
      this.#server.listen({ host, port, exclusive: true }, () => {
        this.#server.off('error', onError);
        const address = this.#server.address();
        resolve({ host, port: typeof address === 'object' && address ? address.port : port });
      });
    });
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #serve(request: IncomingMessage, response: ServerResponse): void {
    if (this.#inflight >= httpInflightMax) {
      request.resume();
      this.#fail(
        response,
        'OVERLOADED',
        `Over ${httpInflightMax} HTTP requests in flight at this node; retry later.`,
      );
      return;
    }
    this.#inflight++;
    response.once('close', () => this.#inflight--);
    this.#route(request, response).catch((error: unknown) => {
      const record = toErrorRecord(error);
      if (record.code === 'INTERNAL') this.#options.logger.error(`HTTP: ${record.message}`);
      const status = error instanceof RouteError ? error.status : undefined;
      this.#fail(response, record.code, record.message, status);
    });
  }

  async #route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = parseUrl(request.url ?? '/', this.#options.limits);
    const method = request.method ?? 'GET';
    const parts = url.pathname.split('/');
    if (url.pathname === '/status') {
      expectMethod(method, ['GET'], url.pathname);
      request.resume();
      const reply = await this.#ask({ type: 'stats', id: 0 });
      if (Array.isArray(reply) || reply.type !== 'stats-result') throw unexpected(reply);
      this.#send(response, 200, {
        ok: true,
        node: this.#options.nodeId,
        ...statusJson(reply.stats),
      });
      return;
    }
    if (parts[1] !== 'kv' || parts[2] === undefined || parts[2] === '' || parts.length > 4) {
      throw noRoute(method, url.pathname);
    }
    const key = decodeKey(parts[2]);
    if (parts.length === 4) {
      if (parts[3] !== 'replicas') {
        throw noRoute(method, url.pathname);
      }
      expectMethod(method, ['GET'], url.pathname);
      request.resume();
      this.#send(response, 200, { ok: true, key, replicas: await this.#options.replicas(key) });
      return;
    }
    expectMethod(method, ['GET', 'PUT', 'DELETE'], url.pathname);
    const level = url.searchParams.get('level') ?? undefined;
    const fields: Record<string, unknown> = { id: 0, key };
    if (level !== undefined) fields.level = level;
    if (method === 'PUT') {
      fields.type = 'put';
      fields.op = url.searchParams.get('op') === 'insert' ? 'insert' : 'update';
      fields.value = await readBody(request, this.#options.limits.valueBytesMax);
    } else {
      request.resume();
      fields.type = method === 'GET' ? 'get' : 'delete';
    }
    const op: DataOp =
      method === 'GET'
        ? 'get'
        : method === 'DELETE'
          ? 'delete'
          : (fields.op as 'insert' | 'update');
    const valid = validateRequest(fields, this.#options.limits) as ServiceRequest;
    const sent = { op, key, coordinator: this.#options.nodeId };
    const reply = await this.#ask(valid);
    if (Array.isArray(reply)) {
      let result: OpResult;
      try {
        result = decodeResult(reply, sent);
      } catch (error) {
        // A failure after the replicas were asked: who answered, who was pending, who was down.
        if (!(error instanceof OperationError)) throw error;
        const { code, message } = error;
        const body = { ok: false, ...opResultJson(error.result), error: { code, message } };
        this.#send(response, statusOfError(code), body);
        return;
      }
      const status = result.op === 'get' && !result.found ? 404 : 200;
      this.#send(response, status, { ok: true, ...opResultJson(result) });
      return;
    }
    if (reply.type === 'error') {
      const body = { ok: false, error: reply.error, op, key, level: level ?? null };
      this.#send(response, statusOfError(reply.error.code), body);
      return;
    }
    throw unexpected(reply);
  }

  // One request through the node's client path; resolves with its first reply (repair events
  // that follow it are not for an HTTP client).
  #ask(fields: ServiceRequest): Promise<ClientReply | unknown[]> {
    return new Promise((resolve) => {
      let answered = false;
      const connection: ClientConnection = {
        send: (reply) => {
          if (answered) return;
          answered = true;
          resolve(reply as ClientReply | unknown[]);
        },
        get open() {
          return !answered;
        },
      };
      this.#options.handle({ ...fields, id: this.#nextId++ }, connection);
    });
  }

  #fail(response: ServerResponse, code: ErrorCode, message: string, status?: number): void {
    this.#send(response, status ?? statusOfError(code), { ok: false, error: { code, message } });
  }

  #send(response: ServerResponse, status: number, body: unknown): void {
    if (response.headersSent) return;
    const text = `${JSON.stringify(body)}\n`;
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  }
}

/** A request for a route or method the API does not have: BAD_REQUEST with its own status. */
class RouteError extends QuartetError {
  readonly status: number;

  constructor(status: number, message: string) {
    super('BAD_REQUEST', message);
    this.status = status;
  }
}

function noRoute(method: string, path: string): RouteError {
  return new RouteError(404, `No such route ${method} ${path}; the API has ${routes}.`);
}

function statusJson(stats: NodeStats): Record<string, unknown> {
  return { ...stats };
}

function parseUrl(raw: string, limits: SizeLimits): URL {
  // A key may be percent-encoded three bytes per byte; the rest is the route and a level.
  const urlBytesMax = limits.keyBytesMax * 3 + 256;
  if (raw.length > urlBytesMax) {
    throw new QuartetError(
      'TOO_LARGE',
      `The URL is ${raw.length} bytes, over the limit of ${urlBytesMax}; keys are at most ${limits.keyBytesMax} bytes.`,
    );
  }
  try {
    return new URL(raw, 'http://node');
  } catch (error) {
    throw new QuartetError('BAD_REQUEST', `The URL ${JSON.stringify(raw)} is not valid.`, {
      cause: error,
    });
  }
}

function decodeKey(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    throw new QuartetError(
      'BAD_REQUEST',
      'The key in the URL is not valid percent-encoded UTF-8; encode it with encodeURIComponent.',
      { cause: error },
    );
  }
}

function expectMethod(method: string, allowed: string[], path: string): void {
  if (!allowed.includes(method)) {
    throw new RouteError(405, `${method} is not allowed on ${path}; use ${allowed.join(', ')}.`);
  }
}

function readBody(request: IncomingMessage, bytesMax: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > bytesMax) {
      request.resume();
      reject(tooLargeBody(declared, bytesMax));
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > bytesMax) {
        request.removeAllListeners('data');
        request.resume();
        reject(tooLargeBody(bytes, bytesMax));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        resolve(decoder.decode(Buffer.concat(chunks)));
      } catch (error) {
        reject(
          new QuartetError('BAD_REQUEST', 'The body is not valid UTF-8; values are UTF-8 text.', {
            cause: error,
          }),
        );
      }
    });
    request.on('error', reject);
  });
}

function tooLargeBody(bytes: number, bytesMax: number): QuartetError {
  return new QuartetError(
    'TOO_LARGE',
    `The value is ${bytes} bytes or more, over the limit of ${bytesMax} bytes (valueBytesMax); send a smaller value.`,
  );
}

function unexpected(reply: unknown): QuartetError {
  return new QuartetError(
    'INTERNAL',
    `Unexpected reply to an HTTP request: ${JSON.stringify(reply)}`,
  );
}
