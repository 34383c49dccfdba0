import { hashString } from './hash.js';

interface Token {
  position: number;
  nodeId: number;
}

/**
 * The ring arc a key hashes into: positions after `startExclusive` up to `end`, the token of
 * the key's primary (`node`). The arc of the first token wraps past 2^32 - 1 to 0.
 */
export interface TokenRange {
  hash: number;
  startExclusive: number;
  end: number;
  node: number;
  wraps: boolean;
}

/**
 * Consistent-hash ring with virtual nodes: each node owns `virtualNodes` points; a key's
 * replica set is the first `replicationFactor` distinct nodes clockwise from the key's hash.
 */
export class Ring {
  readonly nodeIds: readonly number[];
  readonly replicationFactor: number;
  readonly #tokens: Token[];
  /** The replica set that starts at each token, computed once: a lookup allocates nothing. */
  readonly #replicaSets: (readonly number[])[];

  constructor(nodeIds: readonly number[], replicationFactor: number, virtualNodes: number) {
    if (replicationFactor < 1 || replicationFactor > nodeIds.length) {
      throw new RangeError(
        `Expected \`replicationFactor\` to be between 1 and the number of nodes (${nodeIds.length}), got ${replicationFactor}.`,
      );
    }
    this.nodeIds = [...nodeIds];
    this.replicationFactor = replicationFactor;
    this.#tokens = nodeIds
      .flatMap((nodeId) =>
        Array.from({ length: virtualNodes }, (_, i) => ({
          position: hashString(`node-${nodeId}-vnode-${i}`),
          nodeId,
        })),
      )
      .sort((a, b) => a.position - b.position || a.nodeId - b.nodeId);
    this.#replicaSets = this.#tokens.map((_, start) => Object.freeze(this.#walk(start)));
  }

  /** The nodes that store `key`, the primary first. */
  replicasFor(key: string): readonly number[] {
    return this.#replicaSets[firstAtOrAfter(this.#tokens, hashString(key))]!;
  }

  /** Every token in ring order: its position and the node that owns the arc ending at it. */
  tokens(): { position: number; node: number }[] {
    return this.#tokens.map((token) => ({ position: token.position, node: token.nodeId }));
  }

  /** Where `key` falls on the ring: its hash and the token range that holds it. */
  tokenRangeFor(key: string): TokenRange {
    const tokens = this.#tokens;
    const hash = hashString(key);
    const index = firstAtOrAfter(tokens, hash);
    const token = tokens[index]!;
    const previous = tokens[(index + tokens.length - 1) % tokens.length]!;
    return {
      hash,
      startExclusive: previous.position,
      end: token.position,
      node: token.nodeId,
      wraps: previous.position >= token.position,
    };
  }

  #walk(start: number): number[] {
    const tokens = this.#tokens;
    const replicas: number[] = [];
    for (let i = 0; i < tokens.length && replicas.length < this.replicationFactor; i++) {
      const nodeId = tokens[(start + i) % tokens.length]!.nodeId;
      if (!replicas.includes(nodeId)) replicas.push(nodeId);
    }
    return replicas;
  }
}

/** Rings `ringOf` keeps; the simulator's few cluster shapes fit many times over. */
export const ringsCachedMax = 64;
const rings = new Map<string, Ring>();

/**
 * The ring of these nodes, shared: a Ring never changes once built, so the simulator's thousands
 * of nodes and runs (and the checker) build each shape once.
 */
export function ringOf(
  nodeIds: readonly number[],
  replicationFactor: number,
  virtualNodes: number,
): Ring {
  const key = `${nodeIds.join(',')}/${replicationFactor}/${virtualNodes}`;
  let ring = rings.get(key);
  if (ring === undefined) {
    ring = new Ring(nodeIds, replicationFactor, virtualNodes);
    if (rings.size >= ringsCachedMax) rings.delete(rings.keys().next().value!);
    rings.set(key, ring);
  }
  return ring;
}

function firstAtOrAfter(tokens: Token[], position: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (tokens[mid]!.position < position) low = mid + 1;
    else high = mid;
  }
  return low === tokens.length ? 0 : low;
}
