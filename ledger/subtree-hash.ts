// ledger/subtree-hash: the one question proof generation asks of storage, and the MTH of a range built from it.
// Pure: storage (a file, memory) answers `SubtreeHashFn`; this file never reads anything itself.
import { hashChildren, hashEmpty } from './merkle-hash.js';
import { isPowerOfTwo, largestPowerOfTwoBelow, log2Exact } from './tree-math.js';

/**
 * Hash of the complete, aligned subtree of 2^level leaves starting at leaf `index * 2^level`
 * (level 0 = leaf hashes). Only ever asked for subtrees entirely inside the tree being proven.
 */
export type SubtreeHashFn = (level: number, index: number) => Buffer;

/**
 * MTH(D[start:end]) per RFC 6962 §2.1. Every range the RFC recursion produces is either a complete aligned
 * subtree (one `get`) or a right edge [start, end) with `start` aligned, which splits into at most
 * popcount(end - start) complete subtrees: O(log n) reads and hashes.
 */
export function computeRangeRoot(get: SubtreeHashFn, start: number, end: number): Buffer {
  const n = end - start;
  if (n <= 0) throw new RangeError(`empty range [${start}, ${end})`);
  if (isPowerOfTwo(n) && start % n === 0) return get(log2Exact(n), start / n);
  const k = largestPowerOfTwoBelow(n);
  return hashChildren(computeRangeRoot(get, start, start + k), computeRangeRoot(get, start + k, end));
}

/** MTH(D[0:size]); the empty tree hashes to SHA-256 of the empty string (RFC 6962 §2.1). */
export function computeRoot(get: SubtreeHashFn, size: number): Buffer {
  return size === 0 ? hashEmpty() : computeRangeRoot(get, 0, size);
}
