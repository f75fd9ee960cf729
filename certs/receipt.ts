// certs/receipt: the delivery receipt of api.md §7 — a compact JWS (typ xborder-receipt+jwt) the receiver signs
// with its key and x5c over { transferId, sha256, bytes, receivedAt }. The gateway marks a transfer released only
// when verifyReceipt says ok. Pure, synchronous verification; signing is the receiver's.
import { CLOCK_SKEW_SECONDS } from './attestation-claims.js';
import { ClaimsReader, Rules } from './claims-reader.js';
import type { JwsAlgorithm } from './compact-jws.js';
import {
  describeIssues,
  verifySignedDocument,
  type ClaimsParse,
  type DocumentProfile,
  type SignedDocumentReason,
  type TrustContext,
} from './signed-document.js';
import type { Signer } from './signer.js';
import { signX5cJws } from './x5c-jws.js';

export const RECEIPT_TYP = 'xborder-receipt+jwt';

export interface ReceiptClaims {
  readonly transferId: string;
  /** Lowercase hex SHA-256 of the bytes stored. */
  readonly sha256: string;
  readonly bytes: number;
  /** RFC 3339 UTC timestamp of storage, e.g. 2025-06-01T08:00:00.000Z. */
  readonly receivedAt: string;
}

export function parseReceiptClaims(input: unknown): ClaimsParse<ReceiptClaims> {
  const r = new ClaimsReader();
  const o = r.root(input);
  const claims: ReceiptClaims = {
    transferId: r.string(o, 'transferId', '', Rules.id),
    sha256: r.string(o, 'sha256', '', Rules.sha256),
    bytes: r.integer(o, 'bytes', '', 0, Number.MAX_SAFE_INTEGER),
    receivedAt: r.timestamp(o, 'receivedAt', ''),
  };
  return r.issues.length === 0 ? { ok: true, claims } : { ok: false, issues: r.issues };
}

export interface ReceiptExpectation {
  readonly transferId: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface ReceiptContext extends TrustContext {
  /** What the gateway sent: the receipt must speak of exactly this. */
  readonly expected: ReceiptExpectation;
  /**
   * The subject CN the signing certificate must carry: the endpoint's partnerId (api.md §7). Required — a
   * receipt from any other certificate under the anchors (another partner's) must not release a transfer.
   */
  readonly expectedSignerCn: string;
}

export type ReceiptVerification =
  | {
      readonly ok: true;
      readonly claims: ReceiptClaims;
      readonly alg: JwsAlgorithm;
      readonly signerCn: string | undefined;
      readonly leafSha256: string;
      readonly chainSha256s: readonly string[];
    }
  | { readonly ok: false; readonly reasons: readonly SignedDocumentReason[] };

function checkReceipt(
  expected: ReceiptExpectation,
): (claims: ReceiptClaims, now: Date) => SignedDocumentReason[] {
  return (claims, now) => {
    const reasons: SignedDocumentReason[] = [];
    for (const field of ['transferId', 'sha256', 'bytes'] as const) {
      if (claims[field] !== expected[field]) {
        reasons.push({
          code: 'CLAIMS-MISMATCH',
          message: `${field} is ${String(claims[field])}, expected ${String(expected[field])}`,
        });
      }
    }
    if (Date.parse(claims.receivedAt) > now.getTime() + CLOCK_SKEW_SECONDS * 1000) {
      reasons.push({ code: 'CLAIMS-INVALID', message: `receivedAt ${claims.receivedAt} is in the future` });
    }
    return reasons;
  };
}

/** Signs a receipt with the receiver's signer. Throws on malformed claims (a programming error). */
export async function signReceipt(claims: ReceiptClaims, signer: Signer): Promise<string> {
  const parsed = parseReceiptClaims(claims);
  if (!parsed.ok) throw new TypeError(`receipt claims: ${describeIssues(parsed.issues)}`);
  return signX5cJws(RECEIPT_TYP, parsed.claims, signer);
}

/** Verifies a receipt: header, signature, claims equal to `expected`, and the signer's chain at `now` and at receivedAt. */
export function verifyReceipt(jws: string, ctx: ReceiptContext): ReceiptVerification {
  const profile: DocumentProfile<ReceiptClaims> = {
    typ: RECEIPT_TYP,
    parse: parseReceiptClaims,
    at: (claims) => new Date(claims.receivedAt),
    expectedCn: () => ctx.expectedSignerCn,
    check: checkReceipt(ctx.expected),
  };
  const result = verifySignedDocument(jws, profile, ctx);
  if (!result.ok) return { ok: false, reasons: result.reasons };
  return {
    ok: true,
    claims: result.claims,
    alg: result.jws.alg,
    signerCn: result.path[0]?.subjectCn,
    leafSha256: result.path[0]?.sha256 ?? '',
    chainSha256s: result.path.map((c) => c.sha256),
  };
}
