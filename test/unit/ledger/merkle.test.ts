import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { MerkleFrontier } from '../../../ledger/merkle-frontier.js';
import { hashChildren, hashEmpty, hashLeaf } from '../../../ledger/merkle-hash.js';
import { generateConsistencyProof, generateInclusionProof } from '../../../ledger/merkle-proof.js';
import {
  computeRootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../../ledger/merkle-verify.js';
import { MemoryTree } from '../../../ledger/memory-tree.js';
import { countNodes, nodePosition } from '../../../ledger/tree-layout.js';

const hex = (b: Buffer): string => b.toString('hex');
const unhex = (h: string): Buffer => Buffer.from(h, 'hex');

// The RFC 6962 / certificate-transparency-go test leaves (merkle/log_verifier_test.go, trillian testonly).
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(unhex);

// Published MTH(D[n]) for n = 1..8.
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

// Published inclusion proofs (0-based index, size, path).
const INCLUSION: [number, number, string[]][] = [
  [0, 1, []],
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];

// Published consistency proofs (from, to, proof).
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [
    3,
    8,
    [
      '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
      '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
];

/** RFC 6962 §2.1 MTH written as the definition reads, as an independent reference. */
function referenceRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return hashLeaf(leaves[0] as Buffer);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

const leavesOf = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => Buffer.from(`leaf ${i}`));

describe('ledger/merkle (RFC 6962 §2.1, RFC 9162 §2.1.3–2.1.4)', () => {
  const tree = MemoryTree.fromLeaves(LEAVES);

  it('hashes the empty tree to SHA-256 of the empty string', () => {
    expect(hex(hashEmpty())).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(new MemoryTree().root())).to.equal(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('prefixes leaves with 0x00 and nodes with 0x01', () => {
    expect(hex(hashLeaf(unhex('00')))).to.equal(
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    );
    expect(hex(hashChildren(hashLeaf(unhex('')), hashLeaf(unhex('00'))))).to.equal(ROOTS[1]);
  });

  it('computes the published roots for sizes 1..8', () => {
    for (let n = 1; n <= 8; n += 1) {
      expect(hex(tree.root(n)), `size ${n}`).to.equal(ROOTS[n - 1]);
      expect(hex(referenceRoot(LEAVES.slice(0, n))), `reference size ${n}`).to.equal(ROOTS[n - 1]);
    }
  });

  it('generates and verifies the published inclusion proofs', () => {
    for (const [index, size, path] of INCLUSION) {
      const proof = tree.inclusionProof(index, size);
      expect(proof.map(hex), `${index}@${size}`).to.deep.equal(path);
      const leafHash = hashLeaf(LEAVES[index] as Buffer);
      expect(verifyInclusion(leafHash, index, size, proof, unhex(ROOTS[size - 1] as string))).to.deep.equal({
        ok: true,
      });
    }
  });

  it('generates and verifies the published consistency proofs', () => {
    for (const [from, to, path] of CONSISTENCY) {
      const proof = tree.consistencyProof(from, to);
      expect(proof.map(hex), `${from}→${to}`).to.deep.equal(path);
      expect(
        verifyConsistency(from, to, unhex(ROOTS[from - 1] as string), unhex(ROOTS[to - 1] as string), proof),
      ).to.deep.equal({ ok: true });
    }
  });

  it('cross-verifies every inclusion proof for all (index, size) up to 40 leaves, against an independent MTH', () => {
    const leaves = leavesOf(40);
    const big = MemoryTree.fromLeaves(leaves);
    for (let size = 1; size <= 40; size += 1) {
      const root = referenceRoot(leaves.slice(0, size));
      expect(big.root(size).equals(root)).to.equal(true);
      for (let index = 0; index < size; index += 1) {
        const proof = big.inclusionProof(index, size);
        const leafHash = hashLeaf(leaves[index] as Buffer);
        expect(verifyInclusion(leafHash, index, size, proof, root).ok, `${index}@${size}`).to.equal(true);
        // The same proof must not verify a different index, size or leaf.
        if (size > 1)
          expect(verifyInclusion(leafHash, (index + 1) % size, size, proof, root).ok).to.equal(false);
        expect(verifyInclusion(leafHash, index, size * 2, proof, root).ok).to.equal(false);
        expect(verifyInclusion(hashLeaf(Buffer.from('other')), index, size, proof, root).ok).to.equal(false);
      }
    }
  });

  it('cross-verifies every consistency proof for all 0 ≤ from ≤ to ≤ 40', () => {
    const leaves = leavesOf(40);
    const big = MemoryTree.fromLeaves(leaves);
    const roots = Array.from({ length: 41 }, (_, n) => referenceRoot(leaves.slice(0, n)));
    for (let to = 0; to <= 40; to += 1) {
      for (let from = 0; from <= to; from += 1) {
        const proof = big.consistencyProof(from, to);
        const r1 = roots[from] as Buffer;
        const r2 = roots[to] as Buffer;
        expect(verifyConsistency(from, to, r1, r2, proof).ok, `${from}→${to}`).to.equal(true);
        if (from > 0 && from < to) {
          expect(verifyConsistency(from, to, r2, r1, proof).ok, `swapped ${from}→${to}`).to.equal(false);
          expect(verifyConsistency(from, to, r1, r2, proof.slice(0, -1)).ok).to.equal(false);
          expect(verifyConsistency(from, to, r1, r2, [...proof, r1]).ok).to.equal(false);
          const tampered = proof.map((h, i) => (i === 0 ? hashEmpty() : h));
          expect(verifyConsistency(from, to, r1, r2, tampered).ok).to.equal(false);
        }
      }
    }
  });

  it('refuses malformed inclusion proofs with a reason', () => {
    const root = tree.root(8);
    const leafHash = hashLeaf(LEAVES[0] as Buffer);
    const proof = tree.inclusionProof(0, 8);
    expect(verifyInclusion(leafHash, 8, 8, proof, root)).to.deep.equal({
      ok: false,
      reason: 'BAD_ARGUMENTS',
    });
    expect(verifyInclusion(leafHash, 0, 8, [...proof, root], root)).to.deep.equal({
      ok: false,
      reason: 'PROOF_TOO_LONG',
    });
    expect(verifyInclusion(leafHash, 0, 8, proof.slice(0, 2), root)).to.deep.equal({
      ok: false,
      reason: 'PROOF_TOO_SHORT',
    });
    expect(verifyInclusion(leafHash, 0, 8, [Buffer.alloc(3), ...proof.slice(1)], root)).to.deep.equal({
      ok: false,
      reason: 'BAD_ARGUMENTS',
    });
    expect(verifyInclusion(leafHash, 0, 8, proof, hashEmpty())).to.deep.equal({
      ok: false,
      reason: 'ROOT_MISMATCH',
    });
    expect(computeRootFromInclusionProof(leafHash, 0, 8, proof)).to.deep.equal({ ok: true, root });
  });

  it('treats the trivial consistency cases as RFC 9162 §2.1.4 does', () => {
    const r = tree.root(3);
    expect(verifyConsistency(0, 3, hashEmpty(), r, []).ok).to.equal(true);
    expect(verifyConsistency(0, 3, hashEmpty(), r, [r])).to.deep.equal({
      ok: false,
      reason: 'EMPTY_PROOF_EXPECTED',
    });
    expect(verifyConsistency(3, 3, r, r, []).ok).to.equal(true);
    expect(verifyConsistency(3, 3, r, tree.root(4), [])).to.deep.equal({
      ok: false,
      reason: 'ROOT_MISMATCH',
    });
    expect(verifyConsistency(4, 3, r, r, [r])).to.deep.equal({ ok: false, reason: 'BAD_ARGUMENTS' });
    expect(verifyConsistency(1, 2, tree.root(1), tree.root(2), [])).to.deep.equal({
      ok: false,
      reason: 'PROOF_TOO_SHORT',
    });
  });

  it('rejects proofs for positions outside the tree', () => {
    expect(() => generateInclusionProof(tree.subtreeHash, 8, 8)).to.throw(RangeError);
    expect(() => generateConsistencyProof(tree.subtreeHash, 5, 4)).to.throw(RangeError);
    expect(() => tree.root(9)).to.throw(RangeError);
  });

  it('stores nodes in postorder: positions match the order the frontier completes them', () => {
    const frontier = new MerkleFrontier();
    let position = 0;
    for (let i = 0; i < 100; i += 1) {
      frontier.append(hashLeaf(Buffer.from([i])), (level, index) => {
        expect(nodePosition(level, index), `(${level}, ${index})`).to.equal(position);
        position += 1;
      });
      expect(countNodes(i + 1)).to.equal(position);
    }
  });

  it('restores a frontier from its peaks', () => {
    const leaves = leavesOf(27);
    const full = MemoryTree.fromLeaves(leaves);
    const peaks = MerkleFrontier.peakPositions(27).map(({ level, index }) => full.subtreeHash(level, index));
    const restored = new MerkleFrontier(27, peaks);
    expect(restored.root().equals(full.root())).to.equal(true);
    restored.append(hashLeaf(Buffer.from('next')));
    expect(restored.root().equals(MemoryTree.fromLeaves([...leaves, Buffer.from('next')]).root())).to.equal(
      true,
    );
  });
});
