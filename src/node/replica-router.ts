import { QuartetError, toErrorRecord, type ErrorRecord } from '../core/errors.js';
import type { PeerReply } from '../core/messages.js';
import type { Timestamp } from '../core/clock.js';
import type { Version } from '../core/version.js';
import type { PeerRequestBody } from '../protocol/peer-wire.js';
import type { AntiEntropyPeer } from './anti-entropy.js';
import type { ReplyCallback, WriteAck } from './coordinator-host.js';
import type { ReplicaService } from './replica-service.js';
import { antiEntropyNote, pushNote } from './trace-notes.js';
import { traceNote, type TraceNote } from './tracer.js';
import type { NodeRuntime, PeerTransport } from './runtime.js';

/** What the router takes from its runtime. */
export type RouterRuntime = Pick<
  NodeRuntime,
  'transport' | 'defer' | 'setTimer' | 'clearTimer' | 'tracer'
>;

/**
 * Reaches any replica of a key: this node's own store, or a peer over its link. The
 * per-operation path takes callbacks (the local replica answers in a microtask); the
 * background work (hints, purge, anti-entropy) takes promises.
 */
export class ReplicaRouter {
  readonly #selfId: number;
  readonly #replica: ReplicaService;
  readonly #transport: PeerTransport;
  readonly #runtime: RouterRuntime;
  readonly #timeoutMs: number;
  /** The last operation message's trace note: the next to each replica of its fan-out shares it. */
  #lastNote: TraceNote | undefined;

  /**
   * The runtime defers a local replica's answer after the current work, and times the promises
   * of the background paths out after `timeoutMs` (a message a link drops is never answered).
   */
  constructor(selfId: number, replica: ReplicaService, runtime: RouterRuntime, timeoutMs: number) {
    this.#selfId = selfId;
    this.#replica = replica;
    this.#transport = runtime.transport;
    this.#runtime = runtime;
    this.#timeoutMs = timeoutMs;
  }

  sendRead(
    to: number,
    key: string,
    reply: ReplyCallback<Version | undefined>,
    opId?: number,
  ): void {
    if (to === this.#selfId) {
      const version = this.#replica.read(key);
      this.#runtime.defer(() => reply(undefined, version));
      return;
    }
    this.#peer(to);
    const note = this.#runtime.tracer.enabled ? this.#note('read', opId ?? null, key) : undefined;
    this.#transport.send(
      to,
      note === undefined ? { type: 'read', key } : { type: 'read', key, op: note.op },
      (error, answer) => {
        if (error !== undefined) return reply(error);
        if (answer!.type === 'read-reply') return reply(undefined, answer!.version);
        reply(unexpected(answer!, 'read-reply'));
      },
      note,
    );
  }

  sendWrite(
    to: number,
    key: string,
    version: Version,
    kind: 'write' | 'repair',
    reply: ReplyCallback<WriteAck>,
    opId?: number,
    pushed = false,
  ): void {
    if (to === this.#selfId) {
      let ack: WriteAck | Promise<WriteAck>;
      try {
        ack = this.#replica.apply(key, version, `this node's ${kind}`);
      } catch (error) {
        // Refused (CLOCK_SKEW: a read repair with a version stamped too far ahead): answer it.
        this.#runtime.defer(() => reply(toErrorRecord(error)));
        return;
      }
      if (ack instanceof Promise) {
        ack.then(
          (done) => reply(undefined, done),
          (error: unknown) => reply(toErrorRecord(error)),
        );
      } else {
        this.#runtime.defer(() => reply(undefined, ack));
      }
      return;
    }
    this.#peer(to);
    // `pushed`: anti-entropy streams this key (a write on the wire, a range in the trace).
    const note = !this.#runtime.tracer.enabled
      ? undefined
      : pushed
        ? pushNote(key, version)
        : this.#note(kind, opId ?? null, key, version.ts);
    this.#transport.send(
      to,
      note === undefined ? { type: kind, key, version } : { type: kind, key, version, op: note.op },
      (error, answer) => {
        if (error !== undefined) return reply(error);
        if (answer!.type !== 'write-reply') return reply(unexpected(answer!, 'write-reply'));
        const { created, applied, before } = answer!;
        reply(
          undefined,
          before === undefined ? { created, applied } : { created, applied, before },
        );
      },
      note,
    );
  }

  /** An operation message's trace note; the last one when it says the same (notes are not changed). */
  #note(
    kind: 'read' | 'write' | 'repair',
    op: number | null,
    key: string,
    ts?: Timestamp,
  ): TraceNote {
    const last = this.#lastNote;
    if (
      last !== undefined &&
      last.kind === kind &&
      last.op === op &&
      last.key === key &&
      last.ts === ts
    )
      return last;
    return (this.#lastNote = traceNote(kind, op, key, ts));
  }

  read(to: number, key: string): Promise<Version | undefined> {
    return this.#promise((reply) => this.sendRead(to, key, reply));
  }

  write(
    to: number,
    key: string,
    version: Version,
    kind: 'write' | 'repair' = 'write',
  ): Promise<WriteAck> {
    return this.#promise<WriteAck>((reply) => this.sendWrite(to, key, version, kind, reply));
  }

  /** A peer as anti-entropy sees it: its Merkle tree, its entries in some ranges, and pushes. */
  antiEntropyPeer(peer: number): AntiEntropyPeer {
    this.#peer(peer);
    return {
      tree: async (depth) => {
        const reply = expectReply(await this.#request(peer, { type: 'tree', depth }), 'tree-reply');
        return { depth: reply.depth, nodes: reply.nodes };
      },
      range: async (depth, leaves) => {
        const reply = expectReply(
          await this.#request(peer, { type: 'range', depth, leaves }),
          'range-reply',
        );
        return { entries: reply.entries, served: reply.served };
      },
      push: (key, version) =>
        this.#promise<WriteAck>((reply) =>
          this.sendWrite(peer, key, version, 'write', reply, undefined, true),
        ),
    };
  }

  #request(to: number, body: PeerRequestBody): Promise<PeerReply> {
    const note = this.#runtime.tracer.enabled ? antiEntropyNote(body) : undefined;
    return this.#promise<PeerReply>((reply) => this.#transport.send(to, body, reply, note));
  }

  // A callback request as a promise that fails with TIMEOUT when no answer comes in time.
  #promise<T>(start: (reply: ReplyCallback<T>) => void): Promise<T> {
    const runtime = this.#runtime;
    const timeoutMs = this.#timeoutMs;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = runtime.setTimer(timeoutMs, () => {
        if (settled) return;
        settled = true;
        reject(new QuartetError('TIMEOUT', `No answer within ${timeoutMs} ms.`));
      });
      start((error, answer) => {
        if (settled) return;
        settled = true;
        runtime.clearTimer(timer);
        if (error === undefined) resolve(answer as T);
        else reject(toError(error));
      });
    });
  }

  #peer(to: number): void {
    if (!this.#transport.peers.includes(to))
      throw new QuartetError('INTERNAL', `Node ${to} is not in this node's config.`);
  }
}

function toError(error: ErrorRecord): QuartetError {
  return new QuartetError(error.code, error.message);
}

function expectReply<T extends PeerReply['type']>(
  reply: PeerReply,
  type: T,
): Extract<PeerReply, { type: T }> {
  if (reply.type === type) return reply as Extract<PeerReply, { type: T }>;
  throw toError(unexpected(reply, type));
}

function unexpected(reply: PeerReply, expected: string): ErrorRecord {
  if (reply.type === 'error') return reply.error;
  return { code: 'INTERNAL', message: `Expected a ${expected} from a peer, got ${reply.type}.` };
}
