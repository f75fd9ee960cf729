// ledger/merkle-proof: RFC 6962 §2.1.1 (PATH) and §2.1.2 (PROOF/SUBPROOF) proof generation over a SubtreeHashFn,
// so storage never has to hold the whole tree. Pure. Arguments out of range are caller bugs: RangeError.
//
// Cost: a proof has O(log n) hashes; each is a complete subtree (one read) or a right-edge range that splits
// into O(log n) complete subtrees, so one proof is at most O(log² n) reads and hashes (typically ~log n).
import { computeRangeRoot, type SubtreeHashFn } from './subtree-hash.js';
import { isTreeSize, largestPowerOfTwoBelow } from './tree-math.js';

/** Audit path for leaf `index` in the tree of the first `size` leaves (RFC 6962 §2.1.1), leaf-side first. */
export function generateInclusionProof(get: SubtreeHashFn, index: number, size: number): Buffer[] {
  if (!isTreeSize(size) || !Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`no leaf ${index} in a tree of size ${size}`);
  }
  const proof: Buffer[] = [];
  path(get, index, 0, size, proof);
  return proof;
}

// PATH(m, D[n]): for m < k, PATH(m, D[0:k]) : MTH(D[k:n]); otherwise PATH(m - k, D[k:n]) : MTH(D[0:k]).
function path(get: SubtreeHashFn, m: number, start: number, end: number, out: Buffer[]): void {
  const n = end - start;
  if (n <= 1) return;
  const k = largestPowerOfTwoBelow(n);
  if (m < start + k) {
    path(get, m, start, start + k, out);
    out.push(computeRangeRoot(get, start + k, end));
  } else {
    path(get, m, start + k, end, out);
    out.push(computeRangeRoot(get, start, start + k));
  }
}

/**
 * Consistency proof between the trees of the first `from` and `to` leaves (RFC 6962 §2.1.2). Empty when
 * from = 0 or from = to: every tree extends the empty tree and itself (RFC 9162 §2.1.4).
 */
export function generateConsistencyProof(get: SubtreeHashFn, from: number, to: number): Buffer[] {
  if (!isTreeSize(from) || !isTreeSize(to) || from > to) {
    throw new RangeError(`no consistency proof from size ${from} to size ${to}`);
  }
  const proof: Buffer[] = [];
  if (from === 0 || from === to) return proof;
  subproof(get, from, 0, to, true, proof);
  return proof;
}

// SUBPROOF(m, D[n], b): m = n → [] if b (the old root is known to the verifier) else [MTH(D[n])];
// m ≤ k → SUBPROOF(m, D[0:k], b) : MTH(D[k:n]); m > k → SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]).
function subproof(
  get: SubtreeHashFn,
  m: number,
  start: number,
  end: number,
  b: boolean,
  out: Buffer[],
): void {
  const n = end - start;
  if (m === n) {
    if (!b) out.push(computeRangeRoot(get, start, end));
    return;
  }
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) {
    subproof(get, m, start, start + k, b, out);
    out.push(computeRangeRoot(get, start + k, end));
  } else {
    subproof(get, m - k, start + k, end, false, out);
    out.push(computeRangeRoot(get, start, start + k));
  }
}
