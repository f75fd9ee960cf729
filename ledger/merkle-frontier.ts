// ledger/merkle-frontier: the right edge of an append-only tree — one hash per complete subtree ("peak"), O(log n)
// memory — which yields every newly completed node as leaves are appended and the MTH at any moment. Pure.
import { hashChildren, hashEmpty } from './merkle-hash.js';
import { popcount } from './tree-math.js';

/** A node completed by an append: the aligned subtree (level, index) and its hash. */
export type NodeVisitor = (level: number, index: number, hash: Buffer) => void;

interface Peak {
  readonly level: number;
  readonly hash: Buffer;
}

export class MerkleFrontier {
  #size: number;
  #peaks: Peak[];

  /**
   * `peaks` are the hashes of the complete subtrees of a tree of `size` leaves, largest (leftmost) first:
   * one per set bit of `size` (RFC 6962 §2.1's split puts the largest power of two on the left).
   */
  constructor(size = 0, peaks: readonly Buffer[] = []) {
    if (peaks.length !== popcount(size))
      throw new RangeError(`a tree of ${size} leaves has ${popcount(size)} peaks, got ${peaks.length}`);
    this.#size = size;
    this.#peaks = MerkleFrontier.peakPositions(size).map(({ level }, i) => ({
      level,
      hash: peaks[i] as Buffer,
    }));
  }

  get size(): number {
    return this.#size;
  }

  /** The (level, index) of each peak of a tree of `size` leaves, largest first — where to read them from storage. */
  static peakPositions(size: number): { level: number; index: number }[] {
    const out: { level: number; index: number }[] = [];
    let start = 0;
    let width = 1;
    let level = 0;
    while (width * 2 <= size) {
      width *= 2;
      level += 1;
    }
    for (; level >= 0; level -= 1, width /= 2) {
      if (size - start >= width) {
        out.push({ level, index: start / width });
        start += width;
      }
    }
    return out;
  }

  clone(): MerkleFrontier {
    return new MerkleFrontier(
      this.#size,
      this.#peaks.map((p) => p.hash),
    );
  }

  /** Appends one leaf hash; `visit` sees the leaf and then each interior node it completes, bottom-up (postorder). */
  append(leafHash: Buffer, visit?: NodeVisitor): void {
    const leafIndex = this.#size;
    this.#size += 1;
    visit?.(0, leafIndex, leafHash);
    let node: Peak = { level: 0, hash: leafHash };
    for (
      let top = this.#peaks.at(-1);
      top !== undefined && top.level === node.level;
      top = this.#peaks.at(-1)
    ) {
      this.#peaks.pop();
      node = { level: node.level + 1, hash: hashChildren(top.hash, node.hash) };
      visit?.(node.level, this.#size / 2 ** node.level - 1, node.hash);
    }
    this.#peaks.push(node);
  }

  /** MTH of the leaves appended so far: peaks folded right to left (RFC 6962 §2.1). */
  root(): Buffer {
    const last = this.#peaks.at(-1);
    if (last === undefined) return hashEmpty();
    let root = last.hash;
    for (let i = this.#peaks.length - 2; i >= 0; i -= 1)
      root = hashChildren((this.#peaks[i] as Peak).hash, root);
    return root;
  }
}
