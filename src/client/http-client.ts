import { Agent, request } from 'node:http';
import { QuartetError } from '../core/errors.js';
import type { LevelName } from '../core/levels.js';
import type { OpResult, ReplicaReport } from '../core/messages.js';
import type { ReplyCallback } from './client.js';
import { toQuartetError } from './node-frames.js';

export interface HttpClientOptions {
  host: string;
  /** The node's HTTP API port. */
  port: number;
  /** The node id of the server behind that port (the coordinator of every request). */
  nodeId: number;
}

/**
 * A client of one node's HTTP API with the load-generator methods of QuartetClient
 * (`submitGet`, `submitPut`): keep-alive connections, one request on each at a time, as
 * HTTP/1.1 clients in other languages use it. For `quartet bench --http`.
 */
export class HttpClient {
  readonly nodeId: number;
  readonly #options: HttpClientOptions;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  #closed = false;

  constructor(options: HttpClientOptions) {
    this.#options = options;
    this.nodeId = options.nodeId;
  }

  get closed(): boolean {
    return this.#closed;
  }

  submitGet(key: string, level: LevelName | undefined, onResult: ReplyCallback<OpResult>): void {
    this.#call('GET', key, level, undefined, onResult);
  }

  submitPut(
    op: 'insert' | 'update',
    key: string,
    value: string,
    level: LevelName | undefined,
    onResult: ReplyCallback<OpResult>,
  ): void {
    this.#call('PUT', key, level, value, onResult, op);
  }

  close(): void {
    this.#closed = true;
    this.#agent.destroy();
  }

  #call(
    method: 'GET' | 'PUT',
    key: string,
    level: LevelName | undefined,
    body: string | undefined,
    onResult: ReplyCallback<OpResult>,
    op?: 'insert' | 'update',
  ): void {
    const query = new URLSearchParams();
    if (level !== undefined) query.set('level', level);
    if (op === 'insert') query.set('op', 'insert');
    const search = query.size > 0 ? `?${query}` : '';
    const req = request(
      {
        host: this.#options.host,
        port: this.#options.port,
        method,
        path: `/kv/${encodeURIComponent(key)}${search}`,
        agent: this.#agent,
        headers: body === undefined ? {} : { 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const answer = parseAnswer(Buffer.concat(chunks).toString('utf8'));
          if (answer instanceof QuartetError) onResult(answer);
          else onResult(undefined, answer);
        });
      },
    );
    req.on('error', (error) =>
      onResult(
        new QuartetError(
          'NODE_UNREACHABLE',
          `The HTTP API of node ${this.nodeId} could not be reached: ${error.message}`,
          { cause: error },
        ),
      ),
    );
    req.end(body);
  }
}

function parseAnswer(text: string): OpResult | QuartetError {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    return new QuartetError('BAD_REQUEST', `The node answered with something that is not JSON.`, {
      cause: error,
    });
  }
  if (body.ok !== true) {
    return toQuartetError(body.error);
  }
  const result: OpResult = {
    op: body.op as OpResult['op'],
    key: body.key as string,
    level: body.level as LevelName,
    coordinator: body.node as number,
    required: body.required as number,
    acks: body.acks as number,
    value: (body.value as string | null) ?? null,
    found: body.found === true,
    replicas: body.replicas as ReplicaReport[],
  };
  if (body.ts !== undefined) result.ts = body.ts as OpResult['ts'];
  return result;
}
