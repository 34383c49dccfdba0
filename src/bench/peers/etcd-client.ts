import { Agent, request } from 'node:http';
import type { ReplyCallback } from '../../client/client.js';
import type { LevelName } from '../../core/levels.js';
import type { OpResult } from '../../core/messages.js';
import { QuartetError } from '../../core/errors.js';
import type { BenchClient } from '../driver.js';

/** Most bytes of an etcd reply read; a put's or range's reply is far smaller. */
const replyBytesMax = 1_048_576;

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * The bench's client for one etcd member: its gRPC-gateway JSON API (`/v3/kv/put`,
 * `/v3/kv/range`, base64 keys and values) over HTTP/1.1 keep-alive connections, one request per
 * connection at a time (`sockets` of them). Consistency levels mean nothing to etcd: every put is
 * a Raft write (a quorum of the three members, fsynced), every range a linearizable read.
 */
export class EtcdHttpClient implements BenchClient {
  readonly nodeId: number;
  closed = false;
  readonly #host: string;
  readonly #port: number;
  readonly #agent: Agent;

  constructor(input: { host: string; port: number; memberId: number; sockets: number }) {
    this.nodeId = input.memberId;
    this.#host = input.host;
    this.#port = input.port;
    this.#agent = new Agent({ keepAlive: true, maxSockets: input.sockets });
  }

  submitGet(key: string, _level: LevelName | undefined, onResult: ReplyCallback<OpResult>) {
    this.#post('/v3/kv/range', { key: base64(key) }, onResult);
  }

  submitPut(
    _op: 'insert' | 'update',
    key: string,
    value: string,
    _level: LevelName | undefined,
    onResult: ReplyCallback<OpResult>,
  ) {
    this.#post('/v3/kv/put', { key: base64(key), value: base64(value) }, onResult);
  }

  close(): void {
    this.closed = true;
    this.#agent.destroy();
  }

  #post(path: string, body: object, onResult: ReplyCallback<OpResult>): void {
    const payload = JSON.stringify(body);
    // A socket error can surface on both the request and the reply: answer the slot once.
    let answered = false;
    const answer = (error?: QuartetError) => {
      if (answered) return;
      answered = true;
      onResult(error);
    };
    const fail = (message: string) =>
      answer(new QuartetError('PEER_FAILED', `etcd member ${this.nodeId}: ${message}`));
    const outgoing = request(
      {
        host: this.#host,
        port: this.#port,
        path,
        method: 'POST',
        agent: this.#agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (reply) => {
        let bytes = 0;
        reply.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > replyBytesMax) reply.destroy(new Error('reply over replyBytesMax'));
        });
        reply.on('error', (error) => fail(error.message));
        reply.on('end', () => {
          if (reply.statusCode === 200) answer();
          else fail(`HTTP ${reply.statusCode} from ${path}`);
        });
      },
    );
    outgoing.on('error', (error) => fail(error.message));
    outgoing.end(payload);
  }
}
