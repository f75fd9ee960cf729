// ledger/tree-math: integer helpers for tree sizes and indexes. Plain arithmetic, not 32-bit bitwise operators,
// so every safe integer (< 2^53) works. Pure.

/** k = the largest power of two strictly less than n (n ≥ 2): the split point of RFC 6962 §2.1. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

/** log2 of a power of two. */
export function log2Exact(n: number): number {
  let level = 0;
  while (n > 1) {
    n /= 2;
    level += 1;
  }
  return level;
}

/** Number of set bits: the count of complete subtrees (peaks) in a tree of `n` leaves. */
export function popcount(n: number): number {
  let count = 0;
  while (n > 0) {
    count += n % 2;
    n = Math.floor(n / 2);
  }
  return count;
}

export function isTreeSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
