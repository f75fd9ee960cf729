import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import {
  formatCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
} from '../../../ledger/checkpoint.js';
import { MemoryTree } from '../../../ledger/memory-tree.js';
import { verifyReceipt, type LedgerReceipt } from '../../../ledger/receipt.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = { keyName: 'xborder.example/ledger', privateKey };
const verifier = { keyName: 'xborder.example/ledger', publicKey };
const ORIGIN = 'xborder.example/ledger';
const root = Buffer.from('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328', 'hex');

const codes = (result: { ok: boolean; reasons?: readonly { code: string }[] }): string[] =>
  (result.reasons ?? []).map((r) => r.code);

describe('ledger/checkpoint (C2SP tlog-checkpoint)', () => {
  it('formats the body as origin, decimal size and base64 root hash lines', () => {
    expect(formatCheckpoint({ origin: ORIGIN, size: 8, rootHash: root })).to.equal(
      `${ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n`,
    );
  });

  it('signs a checkpoint that parses and verifies to the same values', () => {
    const note = signCheckpoint({ origin: ORIGIN, size: 8, rootHash: root }, signer);
    expect(
      note.startsWith(
        `${ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n\u2014 xborder.example/ledger `,
      ),
    ).to.equal(true);
    const verified = verifyCheckpoint(note, { ...verifier, origin: ORIGIN });
    expect(verified.ok).to.equal(true);
    if (!verified.ok) return;
    expect(verified.checkpoint.size).to.equal(8);
    expect(verified.checkpoint.rootHash.equals(root)).to.equal(true);
    expect(parseCheckpoint(note).ok).to.equal(true);
  });

  it('refuses a checkpoint with a bad signature, another key, or another origin', () => {
    const note = signCheckpoint({ origin: ORIGIN, size: 8, rootHash: root }, signer);
    const forged = note.replace('\n8\n', '\n9\n');
    expect(codes(verifyCheckpoint(forged, verifier))).to.deep.equal(['BAD_SIGNATURE']);
    const sigLine = note.split('\n').at(-2) as string;
    const flipped = sigLine.slice(0, -6) + (sigLine.at(-6) === 'A' ? 'B' : 'A') + sigLine.slice(-5);
    expect(codes(verifyCheckpoint(note.replace(sigLine, flipped), verifier))).to.deep.equal([
      'BAD_SIGNATURE',
    ]);
    const other = generateKeyPairSync('ed25519');
    expect(
      codes(verifyCheckpoint(note, { keyName: verifier.keyName, publicKey: other.publicKey })),
    ).to.deep.equal(['UNVERIFIED']);
    expect(codes(verifyCheckpoint(note, { ...verifier, origin: 'elsewhere' }))).to.deep.equal([
      'ORIGIN_MISMATCH',
    ]);
  });

  it('refuses malformed bodies', () => {
    const sign = (text: string): string =>
      signCheckpoint({ origin: ORIGIN, size: 1, rootHash: root }, signer).replace(`${ORIGIN}\n1\n`, text);
    for (const body of [`${ORIGIN}\n01\n`, `${ORIGIN}\n-1\n`, `${ORIGIN}\n99999999999999999999\n`]) {
      expect(codes(parseCheckpoint(sign(body))), body).to.deep.equal(['MALFORMED_CHECKPOINT']);
    }
    expect(parseCheckpoint('not a note').ok).to.equal(false);
  });
});

describe('ledger/receipt', () => {
  const leaves = Array.from({ length: 11 }, (_, i) =>
    Buffer.from(JSON.stringify({ at: '2025-01-01T00:00:00Z', n: i, type: 't' })),
  );
  const tree = MemoryTree.fromLeaves(leaves);
  const checkpoint = signCheckpoint({ origin: ORIGIN, size: 11, rootHash: tree.root() }, signer);
  const receipt = (index: number): LedgerReceipt => ({
    entry: (leaves[index] as Buffer).toString('base64'),
    index,
    proof: { size: 11, hashes: tree.inclusionProof(index, 11).map((h) => h.toString('base64')) },
    checkpoint,
  });

  it('verifies offline with only the receipt and the public key', () => {
    for (let i = 0; i < 11; i += 1)
      expect(verifyReceipt(receipt(i), verifier).ok, `index ${i}`).to.equal(true);
  });

  it('refuses a receipt whose entry, index, proof or checkpoint was changed', () => {
    const good = receipt(4);
    expect(
      codes(verifyReceipt({ ...good, entry: Buffer.from('{}').toString('base64') }, verifier)),
    ).to.deep.equal(['NOT_INCLUDED']);
    expect(codes(verifyReceipt({ ...good, index: 5 }, verifier))).to.deep.equal(['NOT_INCLUDED']);
    expect(
      codes(verifyReceipt({ ...good, proof: { size: 10, hashes: good.proof.hashes } }, verifier)),
    ).to.deep.equal(['SIZE_MISMATCH']);
    expect(
      codes(verifyReceipt({ ...good, checkpoint: good.checkpoint.replace('\n11\n', '\n12\n') }, verifier)),
    ).to.deep.equal(['CHECKPOINT_INVALID']);
    expect(codes(verifyReceipt({ ...good, proof: { size: 11, hashes: ['%%%'] } }, verifier))).to.deep.equal([
      'MALFORMED_RECEIPT',
    ]);
    expect(codes(verifyReceipt(null as unknown as LedgerReceipt, verifier))).to.deep.equal([
      'MALFORMED_RECEIPT',
    ]);
  });
});
