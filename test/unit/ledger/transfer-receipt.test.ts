// ledger/receipt verifyTransferReceipt (issue #12 item 5): a transfer's receipt is valid only when its entry
// is in the signed log AND is that transfer's release (or delivery receipt). Built on a real ledger in a temp
// dir, with the events the gateway appends; the receipts go through JSON as a holder would keep them.
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signCheckpoint } from '../../../ledger/checkpoint.js';
import { createLedger, type Ledger } from '../../../ledger/ledger.js';
import { MemoryTree } from '../../../ledger/memory-tree.js';
import { verifyTransferReceipt, type TransferReceipt } from '../../../ledger/receipt.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const KEY = 'xborder.test/ledger';
const verifier = { keyName: KEY, publicKey, origin: KEY };
const at = '2026-06-01T00:00:00.000Z';
const A = '01JDZ3V7Q8M2K4N6P8R0S2T4V6';
const B = '01JDZ3V7Q8M2K4N6P8R0S2T4V7';

const codes = (result: { ok: boolean; reasons?: readonly { code: string }[] }): string[] =>
  (result.reasons ?? []).map((r) => r.code);

describe('ledger/receipt: a transfer receipt is the named transfer’s release', () => {
  let dir: string;
  let ledger: Ledger;
  /** Ledger indexes of the events appended in `before`. */
  const index: Record<string, number> = {};

  /** The receipt the gateway would answer for `transferId`, with the entry at `at`. */
  async function receiptOf(entryIndex: number, transferId: string): Promise<TransferReceipt> {
    const receipt = await ledger.receipt(entryIndex);
    return JSON.parse(JSON.stringify({ ...receipt, transferId })) as TransferReceipt;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xborder-transfer-receipt-'));
    ledger = await createLedger({
      dir,
      signer: { keyName: KEY, privateKey },
      origin: KEY,
      checkpointEvery: { entries: 1000, seconds: 3600 },
      now: () => new Date(at),
    });
    const events = [
      ['aSubmitted', { type: 'transfer.submitted', transferId: A }],
      ['aReleased', { type: 'transfer.released', transferId: A, by: 'rules', payloadSha256: 'a'.repeat(64) }],
      [
        'bReleased',
        { type: 'transfer.released', transferId: B, by: 'review', payloadSha256: 'b'.repeat(64) },
      ],
      ['aReceipt', { type: 'transfer.receipt', transferId: A, receivedAt: at }],
      ['bHeld', { type: 'transfer.held', transferId: B }],
      ['registry', { type: 'registry.exporter', id: 'E1' }],
      ['looksLikeRelease', { type: 'transfer.released.note', transferId: A }],
    ] as const;
    for (const [name, event] of events) index[name] = (await ledger.append({ ...event, at })).index;
  });
  after(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("accepts a transfer's release entry, and its delivery receipt entry, under its own id", async () => {
    const released = verifyTransferReceipt(await receiptOf(index['aReleased'] as number, A), verifier);
    expect(released.ok).to.equal(true);
    if (!released.ok) return;
    expect(released.transferId).to.equal(A);
    expect(released.entry).to.include({ type: 'transfer.released', transferId: A });
    expect(released.checkpoint.size).to.equal(7);
    expect(verifyTransferReceipt(await receiptOf(index['aReceipt'] as number, A), verifier).ok).to.equal(
      true,
    );
    expect(verifyTransferReceipt(await receiptOf(index['bReleased'] as number, B), verifier, B).ok).to.equal(
      true,
    );
  });

  it("refuses a receipt relabelled with another transfer's id: TRANSFER_MISMATCH", async () => {
    // B's genuine release, handed over as A's: the proof and signature are fine, the entry is not A's.
    const relabelled = verifyTransferReceipt(await receiptOf(index['bReleased'] as number, A), verifier);
    expect(relabelled.ok).to.equal(false);
    expect(codes(relabelled)).to.deep.equal(['TRANSFER_MISMATCH']);
    expect(relabelled.ok ? '' : relabelled.reasons[0]?.message)
      .to.include(B)
      .and.include(A);
  });

  it('refuses a genuine receipt for a transfer other than the one the verifier asked about', async () => {
    const other = verifyTransferReceipt(await receiptOf(index['bReleased'] as number, B), verifier, A);
    expect(codes(other)).to.deep.equal(['TRANSFER_MISMATCH']);
  });

  it('refuses an entry that is not a release, even of the right transfer: NOT_A_RELEASE', async () => {
    for (const name of ['aSubmitted', 'looksLikeRelease'])
      expect(
        codes(verifyTransferReceipt(await receiptOf(index[name] as number, A), verifier)),
        name,
      ).to.deep.equal(['NOT_A_RELEASE']);
    // Neither a release nor the transfer's: both reasons.
    expect(
      codes(verifyTransferReceipt(await receiptOf(index['bHeld'] as number, A), verifier)),
    ).to.deep.equal(['NOT_A_RELEASE', 'TRANSFER_MISMATCH']);
    // An entry about no transfer at all, labelled as one.
    expect(
      codes(verifyTransferReceipt(await receiptOf(index['registry'] as number, A), verifier)),
    ).to.deep.equal(['NOT_A_RELEASE', 'TRANSFER_MISMATCH']);
  });

  it('still refuses what verifyReceipt refuses: an edited entry is not included', async () => {
    const good = await receiptOf(index['bReleased'] as number, A);
    const forged = JSON.parse(Buffer.from(good.entry, 'base64').toString('utf8')) as Record<string, unknown>;
    forged['transferId'] = A;
    const entry = Buffer.from(JSON.stringify(forged)).toString('base64');
    expect(codes(verifyTransferReceipt({ ...good, entry }, verifier))).to.deep.equal(['NOT_INCLUDED']);
    const otherKey = generateKeyPairSync('ed25519').publicKey;
    expect(codes(verifyTransferReceipt(good, { ...verifier, publicKey: otherKey }))).to.deep.equal([
      'CHECKPOINT_INVALID',
    ]);
  });

  it('refuses a receipt that names no transfer, and anything that is not a receipt: MALFORMED_RECEIPT', async () => {
    const good = await receiptOf(index['aReleased'] as number, A);
    const unlabelled: Record<string, unknown> = { ...good };
    delete unlabelled['transferId'];
    for (const value of [unlabelled, { ...good, transferId: '' }, { ...good, transferId: 7 }, null, 'x', []])
      expect(codes(verifyTransferReceipt(value, verifier)), JSON.stringify(value)).to.deep.equal([
        'MALFORMED_RECEIPT',
      ]);
  });

  it('refuses an included entry that is not a JSON event object: ENTRY_MALFORMED', () => {
    // The gateway's ledger only takes events, so this log is built by hand with the same tree and signer.
    const leaves = [Buffer.from('not json'), Buffer.from('[1,2]')];
    const tree = MemoryTree.fromLeaves(leaves);
    const checkpoint = signCheckpoint(
      { origin: KEY, size: 2, rootHash: tree.root() },
      { keyName: KEY, privateKey },
    );
    for (const [i, leaf] of leaves.entries()) {
      const receipt = {
        entry: leaf.toString('base64'),
        index: i,
        proof: { size: 2, hashes: tree.inclusionProof(i, 2).map((h) => h.toString('base64')) },
        checkpoint,
        transferId: A,
      };
      expect(codes(verifyTransferReceipt(receipt, verifier))).to.deep.equal(['ENTRY_MALFORMED']);
    }
  });
});
