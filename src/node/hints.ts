import type { HintListener } from './node-trace.js';
import { compareTimestamps, type Timestamp } from '../core/clock.js';
import { QuartetError } from '../core/errors.js';
import type { Version } from '../core/version.js';
import type { WriteAck } from './coordinator-host.js';
import type { Logger } from './logger.js';

export interface Hint {
  target: number;
  key: string;
  version: Version;
  createdMs: number;
}

/** Where hints are kept: a Map in memory, or an LMDB table that survives a crash. */
export interface HintTable {
  get(id: string): Hint | undefined;
  put(id: string, hint: Hint): void | Promise<unknown>;
  remove(id: string): void | Promise<unknown>;
  entries(): Iterable<[string, Hint]>;
}

export class MemoryHintTable implements HintTable {
  readonly #hints = new Map<string, Hint>();
  get(id: string): Hint | undefined {
    return this.#hints.get(id);
  }
  put(id: string, hint: Hint): void {
    this.#hints.set(id, hint);
  }
  remove(id: string): void {
    this.#hints.delete(id);
  }
  entries(): Iterable<[string, Hint]> {
    return [...this.#hints.entries()];
  }
}

/** Hints one node keeps for one other node; past this the oldest are dropped, with a warning. */
export const hintsPerNodeMax = 100_000;
/** Hints replayed at once to a node that came back. */
const replayConcurrency = 64;

/** What one replay did with the hints of a node. */
export interface ReplayOutcome {
  delivered: number;
  expired: number;
  /** Refused by the replica (CLOCK_SKEW): dropped, since it would refuse them every time. */
  refused: number;
}

type ReplayFailure = 'expired' | 'refused' | 'failed';

export interface HandoffOptions {
  table: HintTable;
  maxHintWindowMs: number;
  /**
   * A hint whose version is older than this is dropped: a delete stamped after it may have had
   * its tombstone purged, and replaying the hint would bring the value back.
   */
  tombstoneGraceMs?: number;
  logger: Logger;
  send: (target: number, key: string, version: Version) => Promise<WriteAck>;
  /** Told of each hint stored, replayed and expired (the trace; absent when it is off). */
  onHint?: HintListener;
}

/**
 * Hinted handoff: a coordinator keeps each write a replica did not acknowledge, and replays it
 * when that replica is up again. Hints older than maxHintWindowMs are dropped: anti-entropy
 * (`repair`) is then the way to bring the replica up to date.
 */
export class HintedHandoff {
  readonly #options: HandoffOptions;
  /** Hint ids per target, oldest first (a Set keeps insertion order and deletes in O(1)). */
  readonly #byTarget = new Map<number, Set<string>>();
  readonly #replaying = new Set<number>();
  #sequence = 0;
  /** The newest timestamp among the hints kept when this node started. */
  newestAtOpen: Timestamp | undefined;

  constructor(options: HandoffOptions) {
    this.#options = options;
    for (const [id, hint] of options.table.entries()) {
      if (
        this.newestAtOpen === undefined ||
        compareTimestamps(hint.version.ts, this.newestAtOpen) > 0
      ) {
        this.newestAtOpen = hint.version.ts;
      }
      this.#index(hint.target).add(id);
      this.#sequence = Math.max(this.#sequence, Number(id.split(':')[1]) + 1);
    }
  }

  pending(target: number): number {
    return this.#byTarget.get(target)?.size ?? 0;
  }

  pendingByTarget(): { node: number; hints: number }[] {
    return [...this.#byTarget.entries()]
      .filter(([, ids]) => ids.size > 0)
      .map(([node, ids]) => ({ node, hints: ids.size }))
      .sort((a, b) => a.node - b.node);
  }

  /** Keeps a write for a replica that did not acknowledge it. */
  store(target: number, key: string, version: Version, nowMs: number): void {
    const ids = this.#index(target);
    if (ids.size >= hintsPerNodeMax) {
      const dropped = ids.values().next().value!;
      ids.delete(dropped);
      void this.#options.table.remove(dropped);
      this.#options.logger.warn(
        `over ${hintsPerNodeMax} hints for node ${target}: dropped the oldest; run \`repair\` once it is back`,
      );
    }
    const id = `${String(target).padStart(4, '0')}:${String(this.#sequence++).padStart(16, '0')}`;
    ids.add(id);
    void this.#options.table.put(id, { target, key, version, createdMs: nowMs });
    this.#options.onHint?.('stored', target, key, version.ts);
  }

  /** Replays every hint for `target`; resolves with how many were delivered, expired, refused. */
  async replay(target: number, nowMs: number): Promise<ReplayOutcome> {
    if (this.#replaying.has(target)) return { delivered: 0, expired: 0, refused: 0 };
    this.#replaying.add(target);
    let delivered = 0;
    let expired = 0;
    let refused = 0;
    try {
      const ids = [...(this.#byTarget.get(target) ?? [])];
      for (let start = 0; start < ids.length; start += replayConcurrency) {
        const batch = ids.slice(start, start + replayConcurrency);
        const outcomes = await Promise.all(batch.map((id) => this.#replayOne(id, nowMs)));
        for (const outcome of outcomes) {
          if (outcome === 'delivered') delivered++;
          else if (outcome === 'expired') expired++;
          else if (outcome === 'refused') refused++;
        }
        // A replica that stopped answering keeps its remaining hints for the next time it is up.
        if (outcomes.includes('failed')) break;
      }
    } finally {
      this.#replaying.delete(target);
    }
    if (delivered + expired + refused > 0) {
      this.#options.logger.info(
        `hinted handoff to node ${target}: ${delivered} delivered, ${expired} expired${refused > 0 ? `, ${refused} refused for clock skew and dropped` : ''}`,
      );
    }
    return { delivered, expired, refused };
  }

  async #replayOne(id: string, nowMs: number): Promise<'delivered' | ReplayFailure> {
    const hint = this.#options.table.get(id);
    if (hint === undefined) {
      this.#forget(id, undefined);
      return 'expired';
    }
    const graceMs = this.#options.tombstoneGraceMs ?? Number.POSITIVE_INFINITY;
    if (
      nowMs - hint.createdMs > this.#options.maxHintWindowMs ||
      nowMs - hint.version.ts.wallMs > graceMs
    ) {
      this.#forget(id, hint.target);
      this.#options.onHint?.('expired', hint.target, hint.key, hint.version.ts);
      return 'expired';
    }
    try {
      await this.#options.send(hint.target, hint.key, hint.version);
    } catch (error) {
      // The replica refused the version as stamped too far ahead: it would refuse it every time.
      if (!(error instanceof QuartetError) || error.code !== 'CLOCK_SKEW') return 'failed';
      this.#options.logger.warn(
        `dropped the hint of ${JSON.stringify(hint.key)} for node ${hint.target}: ${error.message}`,
      );
      this.#forget(id, hint.target);
      return 'refused';
    }
    this.#forget(id, hint.target);
    this.#options.onHint?.('replayed', hint.target, hint.key, hint.version.ts);
    return 'delivered';
  }

  #forget(id: string, target: number | undefined): void {
    void this.#options.table.remove(id);
    const targets = target === undefined ? [...this.#byTarget.keys()] : [target];
    for (const node of targets) this.#byTarget.get(node)?.delete(id);
  }

  #index(target: number): Set<string> {
    let ids = this.#byTarget.get(target);
    if (ids === undefined) {
      ids = new Set();
      this.#byTarget.set(target, ids);
    }
    return ids;
  }
}
