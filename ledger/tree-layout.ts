// ledger/tree-layout: where the store keeps each node of the tree. All complete nodes (leaf hashes included) are
// stored in postorder — the order MerkleFrontier.append completes them — so the `tree` file only ever grows at the
// end and any subtree hash is one 32-byte read. Pure arithmetic.
import { popcount } from './tree-math.js';

/** Complete nodes in a tree of `size` leaves: 2·size − popcount(size). */
export function countNodes(size: number): number {
  return 2 * size - popcount(size);
}

/**
 * Postorder position of the complete subtree (level, index). It is completed by leaf m − 1 where
 * m = (index + 1)·2^level; before that leaf the file holds countNodes(m − 1) nodes; then comes the leaf and the
 * `level` interior nodes it completes, lowest first.
 */
export function nodePosition(level: number, index: number): number {
  const m = (index + 1) * 2 ** level;
  return countNodes(m - 1) + level;
}
