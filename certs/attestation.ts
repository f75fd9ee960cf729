// certs/attestation: partner attestations (api.md §5) — a compact JWS, typ xborder-attestation+jwt, signed by
// the partner's key with its chain in x5c. Verification is pure and synchronous: data and `now` in, a typed
// decision with R-EVID-ATTESTATION-* reasons out. Scope against a transfer is the workers' business.
import type { AttestationClaims, AttestationReason, AttestationReasonCode } from './attestation-claims.js';
import { checkAttestationTimes, parseAttestationClaims } from './attestation-claims.js';
import type { CertificateInput } from './chain.js';
import type { JwsAlgorithm } from './compact-jws.js';
import type { RevocationSource } from './revocation.js';
import {
  describeIssues,
  verifySignedDocument,
  type DocumentProfile,
  type SignedDocumentReasonCode,
} from './signed-document.js';
import { createSigner, type PrivateKeyInput } from './signer.js';
import { signX5cJws } from './x5c-jws.js';

export const ATTESTATION_TYP = 'xborder-attestation+jwt';

export interface AttestationContext {
  /** Trust anchors for partner certificates (XBORDER_TRUST_DIR), DER or PEM. */
  readonly anchors: readonly CertificateInput[];
  /** Hex SHA-256 of revoked certificates (api.md §5 POST /v1/revocations). */
  readonly revokedSha256: ReadonlySet<string>;
  readonly now: Date;
  /** Further revocation sources: the trust dir's CRLs (RFC 5280 §5). */
  readonly revocationSources?: readonly RevocationSource[];
}

export interface AttestationHeader {
  readonly alg: JwsAlgorithm;
  readonly typ: string;
  readonly kid: string | undefined;
}

export type AttestationVerification =
  | {
      readonly ok: true;
      readonly claims: AttestationClaims;
      readonly header: AttestationHeader;
      /** SHA-256 of the partner's signing certificate (what a revocation names). */
      readonly leafSha256: string;
      /** The validated path, leaf first, anchor last. */
      readonly chainSha256s: readonly string[];
    }
  | { readonly ok: false; readonly reasons: readonly AttestationReason[] };

const profile: DocumentProfile<AttestationClaims> = {
  typ: ATTESTATION_TYP,
  parse: parseAttestationClaims,
  at: (claims) => new Date(claims.iat * 1000),
  // api.md §5: the leaf's subject CN is the partner id, which is the iss claim.
  expectedCn: (claims) => claims.iss,
};

/** How a low-level reason reads in the evidence vocabulary of api.md §6. */
function toEvidenceCode(code: SignedDocumentReasonCode): AttestationReasonCode {
  switch (code) {
    case 'CHAIN-REVOKED':
      return 'R-EVID-ATTESTATION-REVOKED';
    case 'CHAIN-EXPIRED':
    case 'CHAIN-NOT-YET-VALID':
      return 'R-EVID-ATTESTATION-EXPIRED';
    // A stale or unusable CRL (CHAIN-CRL-*) proves nothing revoked: the status is undetermined, so trust
    // cannot be established (RFC 5280 §6.3.3) — untrusted, not revoked.
    case 'CHAIN-UNTRUSTED':
    case 'CHAIN-LOOP':
    case 'CHAIN-NOT-CA':
    case 'CHAIN-PATHLEN':
    case 'CHAIN-KEYUSAGE':
    case 'CHAIN-CRITICAL-EXT':
    case 'CHAIN-WEAK-ALG':
    case 'CHAIN-WEAK-KEY':
    case 'CHAIN-CN-MISMATCH':
    case 'CHAIN-CRL-STALE':
    case 'CHAIN-CRL-INVALID':
    case 'CHAIN-CRL-NUMBER':
    case 'CHAIN-SERIAL': // RFC 5280 profile violations and name constraints: not trusted as issued.
    case 'CHAIN-CA-SUBJECT-EMPTY':
    case 'CHAIN-AKI':
    case 'CHAIN-SKI-MISSING':
    case 'CHAIN-SAN':
    case 'CHAIN-BC-NOT-CRITICAL':
    case 'CHAIN-KEYCERTSIGN-NOT-CA':
    case 'CHAIN-NC-NOT-CRITICAL':
    case 'CHAIN-NC-NOT-CA':
    case 'CHAIN-NAME-NOT-PERMITTED':
    case 'CHAIN-NAME-EXCLUDED':
    case 'CHAIN-NAME-UNSUPPORTED':
    case 'CHAIN-PC-NOT-CRITICAL':
    case 'CHAIN-EXPLICIT-POLICY':
    case 'CHAIN-AIA-CRITICAL':
      return 'R-EVID-ATTESTATION-UNTRUSTED';
    case 'CHAIN-MALFORMED':
    case 'JWS-MALFORMED':
    case 'JWS-ALG':
    case 'JWS-TYP':
    case 'JWS-CRIT':
    case 'JWS-X5C':
    case 'JWS-KEY':
    case 'JWS-SIGNATURE':
    case 'CLAIMS-INVALID':
    case 'CLAIMS-MISMATCH':
      return 'R-EVID-ATTESTATION-INVALID';
  }
}

/** Verifies a partner attestation: header, signature by the x5c leaf, claims, times, chain, revocation, CN = iss. */
export function verifyAttestation(jws: string, ctx: AttestationContext): AttestationVerification {
  const result = verifySignedDocument(jws, profile, ctx);
  const times = result.claims === undefined ? [] : checkAttestationTimes(result.claims, ctx.now);
  if (result.ok && times.length === 0) {
    return {
      ok: true,
      claims: result.claims,
      header: { alg: result.jws.alg, typ: result.jws.typ, kid: result.jws.kid },
      leafSha256: result.path[0]?.sha256 ?? '',
      chainSha256s: result.path.map((c) => c.sha256),
    };
  }
  const low = result.ok
    ? []
    : result.reasons.map((r) => ({ code: toEvidenceCode(r.code), message: `${r.code}: ${r.message}` }));
  return { ok: false, reasons: [...times, ...low] };
}

export interface AttestationSigningOptions {
  /** The partner's private key (KeyObject or PKCS#8 PEM). */
  readonly key: PrivateKeyInput;
  /** Leaf certificate then intermediates, PEM. */
  readonly chainPem: string;
  readonly rsaAlgorithm?: 'PS256' | 'RS256';
}

/** Development/test helper: a valid attestation JWS (what a partner's tooling produces). Throws on bad claims. */
export async function signAttestation(
  claims: AttestationClaims,
  options: AttestationSigningOptions,
): Promise<string> {
  const parsed = parseAttestationClaims(claims);
  if (!parsed.ok) throw new TypeError(`attestation claims: ${describeIssues(parsed.issues)}`);
  const signer = createSigner(
    options.key,
    options.chainPem,
    options.rsaAlgorithm === undefined ? {} : { rsaAlgorithm: options.rsaAlgorithm },
  );
  return signX5cJws(ATTESTATION_TYP, claims, signer);
}

export type { AttestationClaims, AttestationReason, AttestationReasonCode } from './attestation-claims.js';
