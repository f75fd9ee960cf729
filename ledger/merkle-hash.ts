// ledger/merkle-hash: the RFC 6962 §2.1 hash functions (SHA-256 with domain-separated leaves and nodes). Pure; no I/O.
import { createHash } from 'node:crypto';

/** Every hash in the tree is a SHA-256 digest (RFC 6962 §2.1). */
export const HASH_SIZE = 32;

// RFC 6962 §2.1: a 0x00 prefix for leaves and 0x01 for interior nodes, so that no leaf can be
// presented as an interior node (second-preimage resistance; RFC 9162 §2.1.1 keeps the same prefixes).
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({d(0)}) = SHA-256(0x00 || d(0)) — RFC 6962 §2.1. */
export function hashLeaf(leaf: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(leaf).digest();
}

/** SHA-256(0x01 || left || right) — RFC 6962 §2.1, the hash of an interior node. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** MTH({}) = SHA-256() — RFC 6962 §2.1, the hash of the empty tree. */
export function hashEmpty(): Buffer {
  return createHash('sha256').digest();
}
