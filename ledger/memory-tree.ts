// ledger/memory-tree: an in-memory Merkle tree (every complete node kept: ~2n hashes) for tests, tools and small
// logs. Same proofs as the on-disk store, through the same SubtreeHashFn. Pure.
import { MerkleFrontier } from './merkle-frontier.js';
import { hashLeaf } from './merkle-hash.js';
import { generateConsistencyProof, generateInclusionProof } from './merkle-proof.js';
import { computeRoot, type SubtreeHashFn } from './subtree-hash.js';

export class MemoryTree {
  readonly #levels: Buffer[][] = [];
  readonly #frontier = new MerkleFrontier();

  static fromLeaves(leaves: readonly Uint8Array[]): MemoryTree {
    const tree = new MemoryTree();
    for (const leaf of leaves) tree.appendLeaf(leaf);
    return tree;
  }

  get size(): number {
    return this.#frontier.size;
  }

  appendLeaf(leaf: Uint8Array): number {
    return this.appendLeafHash(hashLeaf(leaf));
  }

  appendLeafHash(leafHash: Buffer): number {
    const index = this.#frontier.size;
    this.#frontier.append(leafHash, (level, i, hash) => {
      (this.#levels[level] ??= [])[i] = hash;
    });
    return index;
  }

  readonly subtreeHash: SubtreeHashFn = (level, index) => {
    const hash = this.#levels[level]?.[index];
    if (hash === undefined) throw new RangeError(`no complete subtree at level ${level}, index ${index}`);
    return hash;
  };

  root(size = this.size): Buffer {
    this.#checkSize(size);
    return size === this.size ? this.#frontier.root() : computeRoot(this.subtreeHash, size);
  }

  inclusionProof(index: number, size = this.size): Buffer[] {
    this.#checkSize(size);
    return generateInclusionProof(this.subtreeHash, index, size);
  }

  consistencyProof(from: number, to = this.size): Buffer[] {
    this.#checkSize(to);
    return generateConsistencyProof(this.subtreeHash, from, to);
  }

  #checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size)
      throw new RangeError(`no tree of size ${size} (have ${this.size})`);
  }
}
