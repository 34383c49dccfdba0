import { hashPair, hashString } from './hash.js';
import type { Version } from './version.js';

/** Leaves of the tree: key ranges by the key's hash, 2^depth of them. */
export const merkleDepthDefault = 10;

/**
 * A Merkle tree over key ranges, as an array in heap order: index 1 is the root, the children of
 * i are 2i and 2i+1, and the leaves are [2^depth, 2^(depth+1)). Each leaf hashes the versions of
 * the keys whose hash falls in its range; equal trees mean equal data.
 */
export interface MerkleTree {
  depth: number;
  nodes: number[];
}

/** The leaf (key range) a key belongs to. */
export function leafOf(key: string, depth: number): number {
  return depth === 0 ? 0 : hashString(key) >>> (32 - depth);
}

/** A version's contribution to its leaf: order-independent (summed), so no sorting is needed. */
function digestEntry(key: string, version: Version): number {
  const { ts } = version;
  return hashString(
    `${key}\u0000${ts.wallMs}.${ts.counter}.${ts.nodeId}\u0000${version.value ?? '\u0001tombstone'}`,
  );
}

export function buildMerkleTree(
  entries: Iterable<[string, Version]>,
  depth = merkleDepthDefault,
): MerkleTree {
  const leafCount = 1 << depth;
  const nodes = new Array<number>(2 * leafCount).fill(0);
  for (const [key, version] of entries) {
    const index = leafCount + leafOf(key, depth);
    nodes[index] = (nodes[index]! + digestEntry(key, version)) >>> 0;
  }
  // An empty range hashes to 0, so the empty part of a tree (most of it, with few keys) costs
  // nothing to build.
  for (let i = leafCount - 1; i >= 1; i--) {
    const left = nodes[2 * i]!;
    const right = nodes[2 * i + 1]!;
    nodes[i] = left === 0 && right === 0 ? 0 : hashPair(left, right);
  }
  return { depth, nodes };
}

/** The leaves whose ranges differ, found by descending only into subtrees whose hashes differ. */
export function diffMerkleTrees(a: MerkleTree, b: MerkleTree): number[] {
  if (a.depth !== b.depth)
    throw new RangeError(`Cannot compare trees of depth ${a.depth} and ${b.depth}.`);
  const leafCount = 1 << a.depth;
  const differing: number[] = [];
  const stack = [1];
  while (stack.length > 0) {
    const index = stack.pop()!;
    if (a.nodes[index] === b.nodes[index]) continue;
    if (index >= leafCount) differing.push(index - leafCount);
    else stack.push(2 * index + 1, 2 * index);
  }
  return differing.sort((x, y) => x - y);
}

export function merkleRoot(tree: MerkleTree): number {
  return tree.nodes[1] ?? 0;
}
