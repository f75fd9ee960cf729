// ledger/audit-bundle: the audit bundle format (api.md §10) — transfer records bound by digest to their ledger
// entries, each entry with an RFC 6962 inclusion proof under a signed checkpoint, a consistency proof to the
// latest checkpoint, and a seal (a C2SP signed note) over the whole file — and its assembly from parts already
// read. Pure: reading the archive and the ledger is the builder's job; checking is verify-audit-bundle.ts's.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { JsonValue } from './leaf-encoding.js';
import { hashLeaf } from './merkle-hash.js';
import { signNote, type NoteSigner } from './signed-note.js';

export const auditBundleFormat = 'xborder-audit-bundle/1';

export interface AuditRecord {
  readonly transferId: string;
  /** The transfer record as the archive holds it (what the ledger recorded). */
  readonly record: { readonly [field: string]: JsonValue };
  /** Ledger indexes of the entries that concern this transfer, ascending. */
  readonly entries: readonly number[];
  /** base64 SHA-256 binding the record to its entries' leaf hashes (see recordDigest). */
  readonly digest: string;
}

export interface AuditEntry {
  readonly index: number;
  /** base64 of the leaf bytes (RFC 8785 canonical JSON of the event). */
  readonly leaf: string;
  /** base64 inclusion proof of the leaf in the tree of `checkpoint`'s size (RFC 6962 §2.1.1), leaf side first. */
  readonly proof: readonly string[];
}

export interface AuditBundle {
  readonly format: typeof auditBundleFormat;
  readonly origin: string;
  readonly query: {
    readonly exporterId: string | null;
    readonly from: string | null;
    readonly to: string | null;
  };
  readonly generatedAt: string;
  readonly records: readonly AuditRecord[];
  readonly entries: readonly AuditEntry[];
  /** Signed checkpoint note every inclusion proof verifies against. */
  readonly checkpoint: string;
  /** The latest signed checkpoint when the bundle was made, and the RFC 6962 §2.1.2 proof that it extends `checkpoint`. */
  readonly latest: { readonly checkpoint: string; readonly consistency: readonly string[] };
  /** Signed note over the SHA-256 of the canonical bundle without `seal` (see sealText). */
  readonly seal: string;
}

export type UnsealedAuditBundle = Omit<AuditBundle, 'seal'>;

/**
 * SHA-256 over the canonical JSON of the transfer id, the record and its entries' (index, RFC 6962 leaf hash):
 * a record cannot be moved to other entries, nor an entry swapped under it, without changing the digest.
 */
export function recordDigest(
  transferId: string,
  record: AuditRecord['record'],
  entries: readonly { readonly index: number; readonly leaf: Uint8Array }[],
): string {
  const body = canonicalJson({
    transferId,
    record,
    entries: entries.map((e) => ({ index: e.index, leafHash: hashLeaf(e.leaf).toString('base64') })),
  });
  if (body === undefined) throw new TypeError('the record has no JSON form');
  return createHash('sha256').update(body, 'utf8').digest('base64');
}

/** The seal note text: format, origin and base64 SHA-256 of the canonical unsealed bundle. */
export function sealText(bundle: UnsealedAuditBundle): string {
  const body = canonicalJson(bundle);
  if (body === undefined) throw new TypeError('the bundle has no JSON form');
  const digest = createHash('sha256').update(body, 'utf8').digest('base64');
  return `${auditBundleFormat}\n${bundle.origin}\n${digest}\n`;
}

/** Seals a bundle with the ledger's signing key (the key of its checkpoints). */
export function sealAuditBundle(bundle: UnsealedAuditBundle, signer: NoteSigner): AuditBundle {
  return { ...bundle, seal: signNote(sealText(bundle), [signer]) };
}

/** The file: the RFC 8785 canonical JSON of the bundle and a newline. Only this byte form verifies. */
export function serializeAuditBundle(bundle: AuditBundle): string {
  const text = canonicalJson(bundle);
  if (text === undefined) throw new TypeError('the bundle has no JSON form');
  return `${text}\n`;
}
