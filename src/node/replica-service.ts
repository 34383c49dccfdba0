import { QuartetError, toErrorRecord } from '../core/errors.js';
import type { PeerReply } from '../core/messages.js';
import { decideWrite } from '../core/replica.js';
import type { Version } from '../core/version.js';
import type { AntiEntropy } from './anti-entropy.js';
import type { WriteAck } from './coordinator-host.js';
import type { Logger } from './logger.js';
import type { NodeClock } from './node-clock.js';
import type { PeerMessage } from './runtime.js';
import type { Store } from './storage/store.js';

export interface ReplicaServiceOptions {
  store: Store;
  clock: NodeClock;
  logger: Logger;
  antiEntropy: () => AntiEntropy;
  onHeartbeat: (from: number) => void;
}

/** This node as a replica: keeps versions (newest wins) and answers its peers. */
export class ReplicaService {
  readonly #options: ReplicaServiceOptions;

  constructor(options: ReplicaServiceOptions) {
    this.#options = options;
  }

  read(key: string): Version | undefined {
    return this.#options.store.get(key);
  }

  /**
   * Stores a version if it is newer than the held one. The ack comes at once from a store that
   * keeps writes synchronously (memory), or once the write is kept (LMDB). A version stamped
   * too far ahead of this node's clock is refused (CLOCK_SKEW) and logged, never stored;
   * `origin` names where it came from in that log line.
   */
  apply(key: string, version: Version, origin = 'a write'): WriteAck | Promise<WriteAck> {
    const { store, clock } = this.#options;
    try {
      clock.observe(version.ts);
    } catch (error) {
      if (error instanceof QuartetError && error.code === 'CLOCK_SKEW')
        this.#options.logger.warn(`refused ${origin} of ${JSON.stringify(key)}: ${error.message}`);
      throw error;
    }
    const held = store.get(key);
    const decision = decideWrite(held, version);
    const ack: WriteAck = { created: decision.created, applied: decision.apply };
    if (held !== undefined) ack.before = held.ts;
    const kept = decision.apply ? store.put(key, version) : undefined;
    return kept instanceof Promise ? kept.then(() => ack) : ack;
  }

  handle(from: number, request: PeerMessage, reply: (answer: PeerReply) => void): void {
    const { id } = request;
    switch (request.type) {
      case 'ping':
        this.#options.onHeartbeat(from);
        return;
      case 'read': {
        const version = this.read(request.key);
        reply(
          version === undefined ? { type: 'read-reply', id } : { type: 'read-reply', id, version },
        );
        return;
      }
      case 'tree': {
        const tree = this.#options.antiEntropy().treeFor(from, request.depth);
        reply({ type: 'tree-reply', id, depth: tree.depth, nodes: tree.nodes });
        return;
      }
      case 'range': {
        const { entries, served } = this.#options
          .antiEntropy()
          .rangeFor(from, request.depth, request.leaves);
        reply({ type: 'range-reply', id, entries, served });
        return;
      }
      case 'write':
      case 'repair':
        this.#applyAndReply(from, request.type, request.key, request.version, id, reply);
    }
  }

  #applyAndReply(
    from: number,
    kind: string,
    key: string,
    version: Version,
    id: number,
    reply: (answer: PeerReply) => void,
  ): void {
    let ack: WriteAck | Promise<WriteAck>;
    try {
      ack = this.apply(key, version, `node ${from}'s ${kind}`);
    } catch (error) {
      if (error instanceof QuartetError && error.code === 'CLOCK_SKEW') {
        reply({ type: 'error', id, error: toErrorRecord(error) }); // logged by apply
        return;
      }
      this.#fail(from, kind, key, id, reply, error);
      return;
    }
    if (!(ack instanceof Promise)) {
      reply({ type: 'write-reply', id, ...ack });
      return;
    }
    ack.then(
      (done) => reply({ type: 'write-reply', id, ...done }),
      (error: unknown) => this.#fail(from, kind, key, id, reply, error),
    );
  }

  #fail(
    from: number,
    kind: string,
    key: string,
    id: number,
    reply: (answer: PeerReply) => void,
    error: unknown,
  ): void {
    this.#options.logger.error(
      `node ${from}'s ${kind} of ${JSON.stringify(key)} failed: ${String(error)}`,
    );
    reply({ type: 'error', id, error: toErrorRecord(error) });
  }
}
