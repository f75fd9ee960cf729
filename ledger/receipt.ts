// ledger/receipt: an offline-verifiable proof that an entry is in the ledger — the leaf bytes, its index, an
// inclusion proof (RFC 9162 §2.1.3) and the signed checkpoint whose root it proves against. Pure.
import { verifyCheckpoint, type Checkpoint, type CheckpointVerifier } from './checkpoint.js';
import { hashLeaf } from './merkle-hash.js';
import { verifyInclusion } from './merkle-verify.js';
import { decodeBase64 } from './signed-note.js';

export interface LedgerReceipt {
  /** base64 of the leaf bytes (the RFC 8785 canonical JSON of the event). */
  readonly entry: string;
  readonly index: number;
  /** Inclusion proof in the tree of `size` leaves; `size` equals the checkpoint's size. */
  readonly proof: { readonly size: number; readonly hashes: readonly string[] };
  /** The signed checkpoint note (C2SP tlog-checkpoint). */
  readonly checkpoint: string;
}

export type ReceiptIssueCode = 'MALFORMED_RECEIPT' | 'CHECKPOINT_INVALID' | 'SIZE_MISMATCH' | 'NOT_INCLUDED';

export interface ReceiptIssue {
  readonly code: ReceiptIssueCode;
  readonly message: string;
}

export type ReceiptVerification =
  | {
      readonly ok: true;
      readonly index: number;
      readonly leaf: Buffer;
      readonly leafHash: Buffer;
      readonly checkpoint: Checkpoint;
    }
  | { readonly ok: false; readonly reasons: readonly ReceiptIssue[] };

/** Checks a receipt with nothing but the receipt and the ledger's public key. Never throws. */
export function verifyReceipt(receipt: LedgerReceipt, verifier: CheckpointVerifier): ReceiptVerification {
  const bad = (code: ReceiptIssueCode, message: string): ReceiptVerification => ({
    ok: false,
    reasons: [{ code, message }],
  });
  const shape = receipt as Partial<Record<keyof LedgerReceipt, unknown>> | null;
  if (typeof shape !== 'object' || shape === null) return bad('MALFORMED_RECEIPT', 'a receipt is an object');
  const { entry, index, proof, checkpoint } = shape;
  const proofShape = proof as { size?: unknown; hashes?: unknown } | null | undefined;
  if (
    typeof entry !== 'string' ||
    typeof checkpoint !== 'string' ||
    typeof index !== 'number' ||
    typeof proofShape !== 'object' ||
    proofShape === null
  ) {
    return bad('MALFORMED_RECEIPT', 'a receipt has entry, index, proof and checkpoint');
  }
  const leaf = decodeBase64(entry);
  const size = proofShape.size;
  const hashes = Array.isArray(proofShape.hashes)
    ? proofShape.hashes.map((h) => (typeof h === 'string' ? decodeBase64(h) : undefined))
    : undefined;
  if (leaf === undefined) return bad('MALFORMED_RECEIPT', 'the entry is not base64');
  if (
    typeof size !== 'number' ||
    hashes === undefined ||
    !hashes.every((h): h is Buffer => h !== undefined)
  ) {
    return bad('MALFORMED_RECEIPT', 'the proof is { size, hashes: base64[] }');
  }
  const verified = verifyCheckpoint(checkpoint, verifier);
  if (!verified.ok)
    return {
      ok: false,
      reasons: verified.reasons.map((r) => ({
        code: 'CHECKPOINT_INVALID',
        message: `${r.code}: ${r.message}`,
      })),
    };
  if (verified.checkpoint.size !== size) {
    return bad(
      'SIZE_MISMATCH',
      `the proof is for size ${size} but the checkpoint is for size ${verified.checkpoint.size}`,
    );
  }
  const leafHash = hashLeaf(leaf);
  const included = verifyInclusion(leafHash, index, size, hashes, verified.checkpoint.rootHash);
  if (!included.ok) return bad('NOT_INCLUDED', `the inclusion proof does not verify (${included.reason})`);
  return { ok: true, index, leaf, leafHash, checkpoint: verified.checkpoint };
}
