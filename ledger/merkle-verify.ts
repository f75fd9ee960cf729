// ledger/merkle-verify: inclusion (RFC 9162 §2.1.3.2) and consistency (RFC 9162 §2.1.4.2) proof verification,
// written as the RFC's steps with plain arithmetic in place of bit shifts. Pure; never throws on bad input.
import { HASH_SIZE, hashChildren } from './merkle-hash.js';
import { isPowerOfTwo, isTreeSize } from './tree-math.js';

export type ProofFailure =
  | 'BAD_ARGUMENTS' // sizes or index not integers in range, or a hash of the wrong length
  | 'PROOF_TOO_LONG'
  | 'PROOF_TOO_SHORT'
  | 'EMPTY_PROOF_EXPECTED' // from = 0 or from = to needs an empty proof
  | 'ROOT_MISMATCH';

export type ProofCheck = { readonly ok: true } | { readonly ok: false; readonly reason: ProofFailure };

export type RootFromProof =
  { readonly ok: true; readonly root: Buffer } | { readonly ok: false; readonly reason: ProofFailure };

const pass: ProofCheck = { ok: true };
const fail = (reason: ProofFailure): ProofCheck => ({ ok: false, reason });
const isHash = (h: Uint8Array): boolean => h.length === HASH_SIZE;
const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/**
 * The root that `proof` implies for `leafHash` at `index` in a tree of `size` leaves (RFC 9162 §2.1.3.2 steps
 * 1–4), or the reason it implies none.
 */
export function computeRootFromInclusionProof(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): RootFromProof {
  // Step 1: the index must be inside the tree.
  if (!isTreeSize(size) || !Number.isSafeInteger(index) || index < 0 || index >= size)
    return { ok: false, reason: 'BAD_ARGUMENTS' };
  if (!isHash(leafHash) || !proof.every(isHash)) return { ok: false, reason: 'BAD_ARGUMENTS' };
  // Step 2: fn = leaf_index, sn = tree_size - 1. Step 3: r = hash.
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leafHash);
  // Step 4.
  for (const p of proof) {
    if (sn === 0) return { ok: false, reason: 'PROOF_TOO_LONG' };
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      // Right-shift both until LSB(fn) is set or fn is 0.
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 5 (first half): sn must have reached 0, or the path was too short for this tree.
  if (sn !== 0) return { ok: false, reason: 'PROOF_TOO_SHORT' };
  return { ok: true, root: r };
}

/** RFC 9162 §2.1.3.2: does `proof` prove `leafHash` at `index` in the tree of `size` leaves with `root`? */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): ProofCheck {
  const computed = computeRootFromInclusionProof(leafHash, index, size, proof);
  if (!computed.ok) return computed;
  // Step 5 (second half): the computed root must equal the expected one.
  return computed.root.equals(root) ? pass : fail('ROOT_MISMATCH');
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of `from` leaves (`fromRoot`) is a prefix of `to` (`toRoot`)? */
export function verifyConsistency(
  from: number,
  to: number,
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
  proof: readonly Uint8Array[],
): ProofCheck {
  if (!isTreeSize(from) || !isTreeSize(to) || from > to) return fail('BAD_ARGUMENTS');
  if (!isHash(fromRoot) || !isHash(toRoot) || !proof.every(isHash)) return fail('BAD_ARGUMENTS');
  // Trivial cases (RFC 9162 §2.1.4.1: the proof for from = to is empty; every tree extends the empty tree).
  if (from === to) {
    if (proof.length > 0) return fail('EMPTY_PROOF_EXPECTED');
    return Buffer.from(fromRoot).equals(toRoot) ? pass : fail('ROOT_MISMATCH');
  }
  if (from === 0) return proof.length === 0 ? pass : fail('EMPTY_PROOF_EXPECTED');
  // Step 1: an empty path fails.
  if (proof.length === 0) return fail('PROOF_TOO_SHORT');
  // Step 2: if first is an exact power of 2, prepend first_hash.
  const path = isPowerOfTwo(from) ? [fromRoot, ...proof] : [...proof];
  // Step 3.
  let fn = from - 1;
  let sn = to - 1;
  // Step 4: if LSB(fn) is set, right-shift both until it is not.
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // Step 5.
  let fr: Buffer = Buffer.from(path[0] as Uint8Array);
  let sr = fr;
  // Step 6.
  for (const c of path.slice(1)) {
    if (sn === 0) return fail('PROOF_TOO_LONG');
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 7.
  if (sn !== 0) return fail('PROOF_TOO_SHORT');
  return fr.equals(fromRoot) && sr.equals(toRoot) ? pass : fail('ROOT_MISMATCH');
}
