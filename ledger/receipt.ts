// ledger/receipt: an offline-verifiable proof that an entry is in the ledger — the leaf bytes, its index, an
// inclusion proof (RFC 9162 §2.1.3) and the signed checkpoint whose root it proves against — and, for a
// transfer's receipt (GET /v1/transfers/:id/receipt), that the entry is that transfer's release. Pure.
import { verifyCheckpoint, type Checkpoint, type CheckpointVerifier } from './checkpoint.js';
import { decodeLeaf } from './leaf-encoding.js';
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

export type ReceiptIssueCode =
  | 'MALFORMED_RECEIPT'
  | 'CHECKPOINT_INVALID'
  | 'SIZE_MISMATCH'
  | 'NOT_INCLUDED'
  /** The entry is in the log but is not a JSON event object. */
  | 'ENTRY_MALFORMED'
  /** The entry is an event, but not a transfer's release (`transfer.released`) or receipt (`transfer.receipt`). */
  | 'NOT_A_RELEASE'
  /** The entry is another transfer's: its transferId is not the receipt's (or not the one the verifier expects). */
  | 'TRANSFER_MISMATCH';

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

/** A transfer's receipt as GET /v1/transfers/:id/receipt answers it: the ledger receipt, labelled. */
export interface TransferReceipt extends LedgerReceipt {
  readonly transferId: string;
}

/** The entry types that show a transfer left: its release, and the partner's delivery receipt after it. */
export const releaseEventTypes: readonly string[] = ['transfer.released', 'transfer.receipt'];

export type TransferReceiptVerification =
  | (Extract<ReceiptVerification, { ok: true }> & {
      readonly transferId: string;
      readonly entry: { readonly type: string; readonly transferId: string } & Readonly<
        Record<string, unknown>
      >;
    })
  | { readonly ok: false; readonly reasons: readonly ReceiptIssue[] };

/**
 * Checks a transfer's receipt: everything verifyReceipt checks (a signed checkpoint, the entry's inclusion
 * under it), then what the entry says — it must be the named transfer's release. Proving only that some entry
 * is in the log would let a receipt be relabelled with another transfer's id, or carry any other event
 * (issue #12 item 5). The transfer is the receipt's `transferId`; `expectedTransferId`, when given (the id
 * the holder asked the gateway about), must match it too. Every problem with the entry is reported, not just
 * the first. Never throws.
 */
export function verifyTransferReceipt(
  receipt: unknown,
  verifier: CheckpointVerifier,
  expectedTransferId?: string,
): TransferReceiptVerification {
  const labelled: unknown =
    typeof receipt === 'object' && receipt !== null
      ? (receipt as { transferId?: unknown }).transferId
      : undefined;
  if (typeof labelled !== 'string' || labelled === '')
    return {
      ok: false,
      reasons: [{ code: 'MALFORMED_RECEIPT', message: 'a transfer receipt names its transferId' }],
    };
  const included = verifyReceipt(receipt as LedgerReceipt, verifier);
  if (!included.ok) return included;

  const fields = decodeLeaf(included.leaf);
  if (fields === undefined)
    return {
      ok: false,
      reasons: [{ code: 'ENTRY_MALFORMED', message: `entry ${included.index} is not a JSON event object` }],
    };
  const type = fields['type'];
  const entryTransfer = fields['transferId'];
  const reasons: ReceiptIssue[] = [];
  if (typeof type !== 'string' || !releaseEventTypes.includes(type))
    reasons.push({
      code: 'NOT_A_RELEASE',
      message: `entry ${included.index} is ${typeof type === 'string' ? `a ${JSON.stringify(type)}` : 'an untyped'} event, not ${releaseEventTypes.join(' or ')}`,
    });
  if (entryTransfer !== labelled)
    reasons.push({
      code: 'TRANSFER_MISMATCH',
      message: `entry ${included.index} is ${typeof entryTransfer === 'string' ? `transfer ${JSON.stringify(entryTransfer)}'s` : "no transfer's"}, but the receipt is labelled ${JSON.stringify(labelled)}`,
    });
  if (expectedTransferId !== undefined && labelled !== expectedTransferId)
    reasons.push({
      code: 'TRANSFER_MISMATCH',
      message: `the receipt is for transfer ${JSON.stringify(labelled)}, not ${JSON.stringify(expectedTransferId)}`,
    });
  if (reasons.length > 0) return { ok: false, reasons };
  return {
    ...included,
    transferId: labelled,
    entry: fields as { type: string; transferId: string } & Record<string, unknown>,
  };
}
