import {
  buildMerkleTree,
  diffMerkleTrees,
  leafOf,
  merkleDepthDefault,
  type MerkleTree,
} from '../core/merkle.js';
import { QuartetError, type ErrorRecord } from '../core/errors.js';
import type { AntiEntropyReport, StoredEntry } from '../core/messages.js';
import type { Ring } from '../core/ring.js';
import { compareVersions, type Version } from '../core/version.js';
import type { WriteAck } from './coordinator-host.js';
import type { Store } from './storage/store.js';

/** Bytes of entries one range reply carries at most (whole leaves; one leaf may exceed it). */
export const rangeReplyBytesMax = 1024 * 1024;
/** Versions pushed to a peer at once. */
const pushConcurrency = 128;

export interface AntiEntropyPeer {
  tree(depth: number): Promise<MerkleTree>;
  range(depth: number, leaves: number[]): Promise<{ entries: StoredEntry[]; served: number }>;
  push(key: string, version: Version): Promise<WriteAck>;
}

/**
 * Anti-entropy between this node and one peer, as `nodetool repair`: both build a Merkle tree
 * over the keys they both replicate, compare, and exchange the versions of the ranges that
 * differ, each way, newest wins.
 */
export class AntiEntropy {
  readonly #selfId: number;
  readonly #ring: Ring;
  readonly #store: Store;
  readonly #apply: (key: string, version: Version, peer: number) => Promise<WriteAck>;
  /** The runtime's monotonic clock, for the report's duration. */
  readonly #nowMs: () => number;
  /** Per peer: the last tree built, and the store's change count it was built at. */
  readonly #trees = new Map<number, { changes: number; tree: MerkleTree }>();

  constructor(
    selfId: number,
    ring: Ring,
    store: Store,
    apply: (key: string, version: Version, peer: number) => Promise<WriteAck>,
    nowMs: () => number,
  ) {
    this.#nowMs = nowMs;
    this.#selfId = selfId;
    this.#ring = ring;
    this.#store = store;
    this.#apply = apply;
  }

  /**
   * This node's tree over the keys it shares with `peer`: built again only once the store
   * changed (rounds on a schedule mostly find nothing new), frozen since callers share it.
   */
  treeFor(peer: number, depth = merkleDepthDefault): MerkleTree {
    const changes = this.#store.changes;
    const cached = this.#trees.get(peer);
    if (cached !== undefined && cached.changes === changes && cached.tree.depth === depth)
      return cached.tree;
    const built = buildMerkleTree(this.#shared(peer), depth);
    const tree: MerkleTree = Object.freeze({
      depth,
      nodes: Object.freeze(built.nodes) as number[],
    });
    this.#trees.set(peer, { changes, tree });
    return tree;
  }

  /** The shared entries in the given leaves, whole leaves up to a byte budget. */
  rangeFor(
    peer: number,
    depth: number,
    leaves: number[],
  ): { entries: StoredEntry[]; served: number } {
    const wanted = new Map<number, StoredEntry[]>(leaves.map((leaf) => [leaf, []]));
    for (const [key, version] of this.#shared(peer))
      wanted.get(leafOf(key, depth))?.push({ key, version });
    const entries: StoredEntry[] = [];
    let bytes = 0;
    let served = 0;
    for (const leaf of leaves) {
      const leafEntries = wanted.get(leaf)!;
      const leafBytes = leafEntries.reduce(
        (sum, e) => sum + e.key.length + (e.version.value?.length ?? 0) + 32,
        0,
      );
      if (served > 0 && bytes + leafBytes > rangeReplyBytesMax) break;
      entries.push(...leafEntries);
      bytes += leafBytes;
      served++;
    }
    return { entries, served };
  }

  async repairWith(
    peerId: number,
    peer: AntiEntropyPeer,
    depth = merkleDepthDefault,
  ): Promise<AntiEntropyReport> {
    const startMs = this.#nowMs();
    const theirs = await peer.tree(depth);
    const differing = diffMerkleTrees(this.treeFor(peerId, depth), theirs);
    let keysReceived = 0;
    let keysSent = 0;
    const refusals: ErrorRecord[] = [];
    for (let next = 0; next < differing.length;) {
      const leaves = differing.slice(next);
      const { entries, served } = await peer.range(depth, leaves);
      next += Math.max(1, served);
      const servedLeaves = new Set(leaves.slice(0, Math.max(1, served)));
      keysReceived += await this.#takeNewer(peerId, entries, refusals);
      keysSent += await this.#pushNewer(peerId, peer, depth, servedLeaves, entries, refusals);
    }
    const report: AntiEntropyReport = {
      node: this.#selfId,
      peer: peerId,
      rangesCompared: 1 << depth,
      rangesDiffering: differing.length,
      keysReceived,
      keysSent,
      durationMs: Math.round((this.#nowMs() - startMs) * 10) / 10,
    };
    const [first] = refusals;
    if (first !== undefined) {
      const count = refusals.length === 1 ? 'one version' : `${refusals.length} versions`;
      report.error = { code: first.code, message: `Refused ${count}; the first: ${first.message}` };
    }
    return report;
  }

  // The peer's newer versions, each kept unless refused (CLOCK_SKEW: stamped too far ahead).
  async #takeNewer(
    peerId: number,
    entries: StoredEntry[],
    refusals: ErrorRecord[],
  ): Promise<number> {
    let taken = 0;
    for (const { key, version } of entries) {
      const held = this.#store.get(key);
      if (held !== undefined && compareVersions(held, version) >= 0) continue;
      const ack = await refusedAsUndefined(this.#apply(key, version, peerId), refusals);
      if (ack?.applied === true) taken++;
    }
    return taken;
  }

  async #pushNewer(
    peerId: number,
    peer: AntiEntropyPeer,
    depth: number,
    leaves: Set<number>,
    theirs: StoredEntry[],
    refusals: ErrorRecord[],
  ): Promise<number> {
    const theirVersions = new Map(theirs.map((entry) => [entry.key, entry.version]));
    const toPush: StoredEntry[] = [];
    for (const [key, version] of this.#shared(peerId)) {
      if (!leaves.has(leafOf(key, depth))) continue;
      const their = theirVersions.get(key);
      if (their === undefined || compareVersions(version, their) > 0) toPush.push({ key, version });
    }
    let pushed = 0;
    for (let start = 0; start < toPush.length; start += pushConcurrency) {
      const acks = await Promise.all(
        toPush
          .slice(start, start + pushConcurrency)
          .map((e) => refusedAsUndefined(peer.push(e.key, e.version), refusals)),
      );
      pushed += acks.filter((ack) => ack?.applied === true).length;
    }
    return pushed;
  }

  *#shared(peer: number): IterableIterator<[string, Version]> {
    for (const entry of this.#store.entries()) {
      const replicas = this.#ring.replicasFor(entry[0]);
      if (replicas.includes(peer) && replicas.includes(this.#selfId)) yield entry;
    }
  }
}

// A version one side refused for its clock (CLOCK_SKEW) is left out and noted; the exchange
// goes on with the others. Any other failure ends the exchange.
async function refusedAsUndefined(
  ack: Promise<WriteAck>,
  refusals: ErrorRecord[],
): Promise<WriteAck | undefined> {
  try {
    return await ack;
  } catch (error) {
    if (!(error instanceof QuartetError) || error.code !== 'CLOCK_SKEW') throw error;
    refusals.push({ code: error.code, message: error.message });
    return undefined;
  }
}

/** The report of an exchange with `peer` that failed before it began. */
export function failedAntiEntropyReport(
  node: number,
  peer: number,
  error: unknown,
): AntiEntropyReport {
  const record =
    error instanceof QuartetError
      ? { code: error.code, message: error.message }
      : { code: 'INTERNAL' as const, message: String(error) };
  return {
    node,
    peer,
    rangesCompared: 0,
    rangesDiffering: 0,
    keysReceived: 0,
    keysSent: 0,
    durationMs: 0,
    error: record,
  };
}
