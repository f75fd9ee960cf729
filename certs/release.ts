// certs/release: the release manifest of api.md §7 — the X-Xborder-Release header, a compact JWS
// (typ xborder-release+jwt) signed by the gateway signing key with x5c. Signing here; verification (what the
// receiver does) is pure and synchronous. Matching the body's digest and length is the receiver's job.
import { ClaimsReader, Rules } from './claims-reader.js';
import { CLOCK_SKEW_SECONDS } from './attestation-claims.js';
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

export const RELEASE_TYP = 'xborder-release+jwt';

/** api.md §6 tiers (kept in step with policies/classification.ts). A `prohibited` release never verifies. */
export const releaseTiers = [
  'prohibited',
  'manual_review',
  'security_assessment',
  'standard_contract',
  'exempt',
  'free_flow',
] as const;
export type ReleaseTier = (typeof releaseTiers)[number];

export interface ReleaseClaims {
  readonly transferId: string;
  readonly exporterId: string;
  readonly partnerId: string;
  readonly endpointId: string;
  /** Lowercase hex SHA-256 of the body. */
  readonly sha256: string;
  readonly bytes: number;
  readonly tier: ReleaseTier;
  readonly filingId?: string;
  readonly attestationId?: string;
  readonly policyVersion: string;
  /** NumericDate (RFC 7519 §2) of signing. */
  readonly iat: number;
}

export function parseReleaseClaims(input: unknown): ClaimsParse<ReleaseClaims> {
  const r = new ClaimsReader();
  const o = r.root(input);
  const filingId = r.optionalString(o, 'filingId', '', Rules.id);
  const attestationId = r.optionalString(o, 'attestationId', '', Rules.id);
  const claims: ReleaseClaims = {
    transferId: r.string(o, 'transferId', '', Rules.id),
    exporterId: r.string(o, 'exporterId', '', Rules.uscc),
    partnerId: r.string(o, 'partnerId', '', Rules.id),
    endpointId: r.string(o, 'endpointId', '', Rules.id),
    sha256: r.string(o, 'sha256', '', Rules.sha256),
    bytes: r.integer(o, 'bytes', '', 0, Number.MAX_SAFE_INTEGER),
    tier: r.enumOf(o, 'tier', '', releaseTiers),
    ...(filingId === undefined ? {} : { filingId }),
    ...(attestationId === undefined ? {} : { attestationId }),
    policyVersion: r.string(o, 'policyVersion', '', { min: 1, max: 128 }),
    iat: r.numericDate(o, 'iat', ''),
  };
  return r.issues.length === 0 ? { ok: true, claims } : { ok: false, issues: r.issues };
}

function checkRelease(claims: ReleaseClaims, now: Date): SignedDocumentReason[] {
  const reasons: SignedDocumentReason[] = [];
  if (claims.tier === 'prohibited')
    reasons.push({ code: 'CLAIMS-INVALID', message: 'a prohibited transfer is never released' });
  if (claims.iat > now.getTime() / 1000 + CLOCK_SKEW_SECONDS) {
    reasons.push({
      code: 'CLAIMS-INVALID',
      message: `iat ${new Date(claims.iat * 1000).toISOString()} is in the future`,
    });
  }
  return reasons;
}

export interface ReleaseContext extends TrustContext {
  /** The gateway signing certificate's CN, when the receiver pins it (dev PKI: `xborder-gateway`). */
  readonly expectedSignerCn?: string;
}

export type ReleaseVerification =
  | {
      readonly ok: true;
      readonly claims: ReleaseClaims;
      readonly alg: JwsAlgorithm;
      readonly signerCn: string | undefined;
      readonly leafSha256: string;
      readonly chainSha256s: readonly string[];
    }
  | { readonly ok: false; readonly reasons: readonly SignedDocumentReason[] };

/** Signs a release manifest with the gateway signer. Throws on claims that would not verify (a programming error). */
export async function signRelease(claims: ReleaseClaims, signer: Signer): Promise<string> {
  const parsed = parseReleaseClaims(claims);
  if (!parsed.ok) throw new TypeError(`release claims: ${describeIssues(parsed.issues)}`);
  const refused = checkRelease(parsed.claims, new Date(parsed.claims.iat * 1000));
  if (refused.length > 0) throw new TypeError(`release claims: ${refused.map((r) => r.message).join('; ')}`);
  return signX5cJws(RELEASE_TYP, parsed.claims, signer);
}

/** Verifies a release manifest: header, signature, claims, and the signer's chain to `anchors` at `now` and at iat. */
export function verifyRelease(jws: string, ctx: ReleaseContext): ReleaseVerification {
  const profile: DocumentProfile<ReleaseClaims> = {
    typ: RELEASE_TYP,
    parse: parseReleaseClaims,
    at: (claims) => new Date(claims.iat * 1000),
    expectedCn: () => ctx.expectedSignerCn,
    check: checkRelease,
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
