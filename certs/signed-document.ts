// certs/signed-document: the verification every x5c-signed document shares — header and signature
// (x5c-jws.ts), claims (the document's parser), then the signer's chain to the anchors at `now` and at the
// document's own time (chain.ts). Pure; returns every reason found, never throws for bad input.
import type { ParsedCertificate } from './certificate.js';
import { verifyChain, type CertificateInput } from './chain.js';
import type { ChainReasonCode } from './chain-reason.js';
import type { ClaimIssue } from './claims-reader.js';
import type { RevocationSource } from './revocation.js';
import { verifyX5cJws, type JwsReasonCode, type VerifiedX5cJws } from './x5c-jws.js';

export type SignedDocumentReasonCode = JwsReasonCode | ChainReasonCode | 'CLAIMS-INVALID' | 'CLAIMS-MISMATCH';

export interface SignedDocumentReason {
  readonly code: SignedDocumentReasonCode;
  readonly message: string;
}

export interface TrustContext {
  /** Trust anchors as DER or PEM (e.g. the trust-dir files, or the gateway's root for receivers). */
  readonly anchors: readonly CertificateInput[];
  readonly now: Date;
  /** Hex SHA-256 of revoked certificates' DER; default none. */
  readonly revokedSha256?: ReadonlySet<string>;
  readonly revocationSources?: readonly RevocationSource[];
}

export type ClaimsParse<C> =
  { readonly ok: true; readonly claims: C } | { readonly ok: false; readonly issues: readonly ClaimIssue[] };

export interface DocumentProfile<C> {
  /** Expected JWS typ (RFC 8725 §3.11: explicit typing keeps one kind of document from passing as another). */
  readonly typ: string;
  readonly parse: (payload: unknown) => ClaimsParse<C>;
  /** The instant the document speaks for: the signer's certificate must have been valid then too. */
  readonly at: (claims: C) => Date;
  /** The leaf CN the claims demand (e.g. iss = partner id), if any. */
  readonly expectedCn?: (claims: C) => string | undefined;
  /** Pure checks of the claims against the context (times, expected values). */
  readonly check?: (claims: C, now: Date) => readonly SignedDocumentReason[];
}

export type SignedDocumentResult<C> =
  | {
      readonly ok: true;
      readonly claims: C;
      readonly jws: VerifiedX5cJws;
      readonly path: readonly ParsedCertificate[];
    }
  | { readonly ok: false; readonly reasons: readonly SignedDocumentReason[]; readonly claims: C | undefined };

export function describeIssues(issues: readonly ClaimIssue[]): string {
  return issues.map((i) => `${i.path} ${i.message}`).join('; ');
}

export function verifySignedDocument<C>(
  text: string,
  profile: DocumentProfile<C>,
  ctx: TrustContext,
): SignedDocumentResult<C> {
  const signed = verifyX5cJws(text, profile.typ);
  if (!signed.ok) return { ok: false, reasons: [signed.reason], claims: undefined };
  const parsed = profile.parse(signed.jws.payload);
  if (!parsed.ok)
    return {
      ok: false,
      reasons: [{ code: 'CLAIMS-INVALID', message: `claims: ${describeIssues(parsed.issues)}` }],
      claims: undefined,
    };
  const { claims } = parsed;
  const reasons: SignedDocumentReason[] = [...(profile.check?.(claims, ctx.now) ?? [])];
  const expectedCn = profile.expectedCn?.(claims);
  const chain = verifyChain({
    leaf: signed.jws.leaf,
    intermediates: signed.jws.intermediates,
    anchors: ctx.anchors,
    now: ctx.now,
    at: profile.at(claims),
    revokedSha256: ctx.revokedSha256 ?? new Set(),
    ...(ctx.revocationSources === undefined ? {} : { revocationSources: ctx.revocationSources }),
    ...(expectedCn === undefined ? {} : { expectedCn }),
  });
  if (!chain.ok) reasons.push(...chain.reasons.map((r) => ({ code: r.code, message: r.message })));
  return reasons.length === 0
    ? { ok: true, claims, jws: signed.jws, path: chain.ok ? chain.path : [] }
    : { ok: false, reasons, claims };
}
