// ledger/verify-audit-bundle (issue #18 item 5): an audit bundle verifies with the gateway's public key alone, and
// an edit to any part — a record, an entry, a proof hash, a checkpoint signature, the consistency proof, a dropped
// entry, any byte of the file — is refused with a stable code. Built on an in-memory RFC 6962 tree.
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import {
  recordDigest,
  sealAuditBundle,
  serializeAuditBundle,
  type AuditBundle,
  type AuditRecord,
  type UnsealedAuditBundle,
} from '../../../ledger/audit-bundle.js';
import { signCheckpoint } from '../../../ledger/checkpoint.js';
import { encodeLeaf } from '../../../ledger/leaf-encoding.js';
import { MemoryTree } from '../../../ledger/memory-tree.js';
import { verifyAuditBundle } from '../../../ledger/verify-audit-bundle.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const KEY = 'xborder-gateway';
const ORIGIN = 'xborder.gateway/ledger';
const signer = { keyName: KEY, privateKey };
const verifier = { keyName: KEY, publicKey, origin: ORIGIN };
const at = '2026-06-01T00:00:00.000Z';
const A = '01JDZ3V7Q8M2K4N6P8R0S2T4V6';
const B = '01JDZ3V7Q8M2K4N6P8R0S2T4V7';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const codes = (text: string): string[] => {
  const result = verifyAuditBundle(text, verifier);
  return result.ok ? [] : result.reasons.map((r) => r.code);
};

/** A bundle of transfers A and B over a tree of 7 entries (checkpoint at 5, latest at 7). */
function buildBundle(): AuditBundle {
  const tree = new MemoryTree();
  const events = [
    { type: 'transfer.submitted', transferId: A, at, eventId: 'e0' },
    { type: 'registry.exporter', id: 'E1', at, eventId: 'e1' },
    { type: 'transfer.submitted', transferId: B, at, eventId: 'e2' },
    { type: 'transfer.released', transferId: A, by: 'rules', at, eventId: 'e3' },
    { type: 'transfer.held', transferId: B, at, eventId: 'e4' },
    { type: 'transfer.submitted', transferId: 'OTHER', at, eventId: 'e5' },
    { type: 'transfer.receipt', transferId: A, at, eventId: 'e6' },
  ];
  const leaves = events.map((e) => encodeLeaf(e));
  for (const leaf of leaves) tree.appendLeaf(leaf);
  const size = 5;
  const checkpoint = signCheckpoint({ origin: ORIGIN, size, rootHash: tree.root(size) }, signer);
  const latest = signCheckpoint({ origin: ORIGIN, size: 7, rootHash: tree.root(7) }, signer);
  const entryOf = (index: number) => ({
    index,
    leaf: b64(leaves[index] as Buffer),
    proof: tree.inclusionProof(index, size).map(b64),
  });
  const recordOf = (transferId: string, status: string, indexes: number[]): AuditRecord => {
    const record = { id: transferId, status, exporterId: '91350100M000100Y43' };
    const held = indexes.map((index) => ({ index, leaf: leaves[index] as Buffer }));
    return { transferId, record, entries: indexes, digest: recordDigest(transferId, record, held) };
  };
  const unsealed: UnsealedAuditBundle = {
    format: 'xborder-audit-bundle/1',
    origin: ORIGIN,
    query: { exporterId: '91350100M000100Y43', from: '2026-01-01T00:00:00.000Z', to: null },
    generatedAt: at,
    records: [recordOf(A, 'released', [0, 3]), recordOf(B, 'held', [2, 4])],
    entries: [0, 2, 3, 4].map(entryOf),
    checkpoint,
    latest: { checkpoint: latest, consistency: tree.consistencyProof(size, 7).map(b64) },
  };
  return sealAuditBundle(unsealed, signer);
}

type DeepMutable<T> = T extends string | number | boolean | null
  ? T
  : T extends readonly (infer U)[]
    ? DeepMutable<U>[]
    : { -readonly [K in keyof T]: DeepMutable<T[K]> };
type Editable = DeepMutable<AuditBundle>;

/** A mutable deep copy to edit. */
const copy = (bundle: AuditBundle): Editable => JSON.parse(JSON.stringify(bundle)) as Editable;
/** Element `i`, which the test knows is there. */
function nth<T>(items: T[], i: number): T {
  const item = items[i];
  if (item === undefined) throw new Error(`no item ${i}`);
  return item;
}
const text = (value: unknown): string => serializeAuditBundle(value as AuditBundle);
const flipBase64 = (s: string): string => {
  const bytes = Buffer.from(s, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return bytes.toString('base64');
};

describe('ledger/verify-audit-bundle: an audit bundle verifies offline and refuses any edit', () => {
  const bundle = buildBundle();

  it('verifies an untouched bundle with the public key alone', () => {
    const result = verifyAuditBundle(serializeAuditBundle(bundle), verifier);
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    if (result.ok) {
      expect(result.records).to.equal(2);
      expect(result.entries).to.equal(4);
      expect(result.checkpoint.size).to.equal(5);
      expect(result.latest.size).to.equal(7);
    }
  });

  it('refuses an edited record (RECORD_DIGEST_MISMATCH, SEAL_INVALID)', () => {
    const b = copy(bundle);
    nth(b.records, 0).record['status'] = 'blocked';
    expect(codes(text(b))).to.include.members(['RECORD_DIGEST_MISMATCH', 'SEAL_INVALID']);
  });

  it('refuses a record whose digest was recomputed after editing it (SEAL_INVALID)', () => {
    const b = copy(bundle);
    const rec = nth(b.records, 1);
    rec.record['status'] = 'released';
    const leaves = rec.entries.map((index) => ({
      index,
      leaf: Buffer.from(b.entries.find((e) => e.index === index)?.leaf ?? '', 'base64'),
    }));
    rec.digest = recordDigest(rec.transferId, rec.record, leaves);
    expect(codes(text(b))).to.deep.equal(['SEAL_INVALID']);
  });

  it('refuses an edited entry (NOT_INCLUDED)', () => {
    const b = copy(bundle);
    const entry = nth(b.entries, 2);
    const leaf = JSON.parse(Buffer.from(entry.leaf, 'base64').toString()) as Record<string, unknown>;
    entry.leaf = Buffer.from(JSON.stringify({ ...leaf, by: 'review' })).toString('base64');
    expect(codes(text(b))).to.include.members(['NOT_INCLUDED', 'RECORD_DIGEST_MISMATCH', 'SEAL_INVALID']);
  });

  it('refuses an edited proof hash (NOT_INCLUDED)', () => {
    const b = copy(bundle);
    const proof = nth(b.entries, 1).proof;
    proof[0] = flipBase64(nth(proof, 0));
    expect(codes(text(b))).to.include.members(['NOT_INCLUDED', 'SEAL_INVALID']);
  });

  it('refuses an edited checkpoint signature (CHECKPOINT_INVALID)', () => {
    const b = copy(bundle);
    const note = b.checkpoint;
    const [body, sig] = note.split('\n\n');
    const [dash, name, blob] = (sig ?? '').trim().split(' ');
    b.checkpoint = `${body}\n\n${dash} ${name} ${flipBase64(blob ?? '')}\n`;
    expect(codes(text(b))).to.include.members(['CHECKPOINT_INVALID', 'SEAL_INVALID']);
  });

  it('refuses a checkpoint signed by another key (CHECKPOINT_INVALID)', () => {
    const b = copy(bundle);
    b.latest.checkpoint = signCheckpoint(
      { origin: ORIGIN, size: 7, rootHash: Buffer.alloc(32, 7) },
      { keyName: KEY, privateKey: other.privateKey },
    );
    expect(codes(text(b))).to.include('CHECKPOINT_INVALID');
  });

  it('refuses an edited consistency proof (NOT_CONSISTENT)', () => {
    const b = copy(bundle);
    b.latest.consistency[0] = flipBase64(nth(b.latest.consistency, 0));
    expect(codes(text(b))).to.include.members(['NOT_CONSISTENT', 'SEAL_INVALID']);
  });

  it('refuses a dropped entry (ENTRY_MISSING)', () => {
    const b = copy(bundle);
    b.entries.splice(1, 1);
    expect(codes(text(b))).to.include.members(['ENTRY_MISSING', 'SEAL_INVALID']);
  });

  it('refuses an entry of another transfer put under a record (ENTRY_MISMATCH)', () => {
    const b = copy(bundle);
    nth(b.records, 0).entries = [0, 2];
    expect(codes(text(b))).to.include.members(['ENTRY_MISMATCH', 'RECORD_DIGEST_MISMATCH']);
  });

  it('refuses a re-sealed bundle signed by another key (SEAL_INVALID)', () => {
    const unsealed: Omit<Editable, 'seal'> & { seal?: string } = copy(bundle);
    delete unsealed.seal;
    const resealed = sealAuditBundle(unsealed, { keyName: KEY, privateKey: other.privateKey });
    expect(codes(serializeAuditBundle(resealed))).to.deep.equal(['SEAL_INVALID']);
  });

  it('refuses a bundle that is not JSON or not a bundle (MALFORMED_BUNDLE)', () => {
    expect(codes('{')).to.deep.equal(['MALFORMED_BUNDLE']);
    expect(codes('{"format":"xborder-audit-bundle/1"}\n')).to.deep.equal(['MALFORMED_BUNDLE']);
  });

  it('refuses every single-byte edit of the file', () => {
    const file = Buffer.from(serializeAuditBundle(bundle), 'utf8');
    for (let i = 0; i < file.length; i += 1) {
      for (const edit of [0x01]) {
        const edited = Buffer.from(file);
        edited[i] = (edited[i] ?? 0) ^ edit;
        const result = verifyAuditBundle(edited.toString('utf8'), verifier);
        expect(result.ok, `byte ${i} ^ ${edit}`).to.equal(false);
      }
    }
  });

  it('refuses reformatted but equal JSON (NOT_CANONICAL)', () => {
    expect(codes(JSON.stringify(JSON.parse(serializeAuditBundle(bundle)), null, 2))).to.deep.equal([
      'NOT_CANONICAL',
    ]);
  });
});
