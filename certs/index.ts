// certs: the room's public surface — PKI, chain validation, signed documents (attestation, release, receipt),
// bearer tokens. Other rooms import from here; forge and jose never appear past this room.
export {
  createDevPki,
  devPkiPaths,
  issuePartnerCert,
  DEFAULT_PARTNER_ID,
  GATEWAY_CN,
  RECEIVER_CN,
} from './dev-pki.js';
export type {
  DevPki,
  DevPkiOptions,
  DevPkiPaths,
  KeyPairPaths,
  PartnerCert,
  PartnerCertOptions,
  SigningPaths,
} from './dev-pki.js';

export { verifyChain, MAX_PATH_LENGTH } from './chain.js';
export type { CertificateInput, ChainInput, ChainResult } from './chain.js';
export { chainReason, chainReasonTitles } from './chain-reason.js';
export type { ChainReason, ChainReasonCode } from './chain-reason.js';
export { createSha256RevocationSource } from './revocation.js';
export type {
  RevocationIssuer,
  RevocationSource,
  RevocationStatus,
  RevocationSubject,
} from './revocation.js';
export { parseCrl } from './crl.js';
export type { CrlParse, ParsedCrl } from './crl.js';
export { createCrlRevocationSource } from './crl-revocation.js';
export type { CrlInput } from './crl-revocation.js';
export { buildCrl } from './crl-builder.js';
export type { CrlEntrySpec, CrlSpec } from './crl-builder.js';
export { isTrustFileName, parseTrustFiles } from './trust-files.js';
export type { TrustFile, TrustMaterial } from './trust-files.js';
export { parseCertificate } from './certificate.js';
export type { CertificateParse, ParsedCertificate, PublicKeyInfo } from './certificate.js';
export { buildCertificate, keyIdentifier } from './certificate-builder.js';
export type { CertificateSpec, IssuerSpec, NameSpec } from './certificate-builder.js';
export { certificateSummary } from './certificate-summary.js';
export type { CertificateSummary } from './certificate-summary.js';
export { derToPem, parsePem, pemToDer } from './pem.js';
export { sha256Hex } from './sha256-hex.js';

export { ATTESTATION_TYP, signAttestation, verifyAttestation } from './attestation.js';
export type {
  AttestationContext,
  AttestationHeader,
  AttestationSigningOptions,
  AttestationVerification,
} from './attestation.js';
export {
  attestationBusinessTypes,
  checkAttestationTimes,
  onwardTransferModes,
  parseAttestationClaims,
  recipientRoles,
  CLOCK_SKEW_SECONDS,
} from './attestation-claims.js';
export type {
  AttestationClaims,
  AttestationReason,
  AttestationReasonCode,
  OnwardTransfer,
  RecipientRole,
} from './attestation-claims.js';
export { parseReleaseClaims, RELEASE_TYP, releaseTiers, signRelease, verifyRelease } from './release.js';
export type { ReleaseClaims, ReleaseContext, ReleaseTier, ReleaseVerification } from './release.js';
export { parseReceiptClaims, RECEIPT_TYP, signReceipt, verifyReceipt } from './receipt.js';
export type { ReceiptClaims, ReceiptContext, ReceiptExpectation, ReceiptVerification } from './receipt.js';
export type { SignedDocumentReason, SignedDocumentReasonCode, TrustContext } from './signed-document.js';
export type { JwsReasonCode } from './x5c-jws.js';
export { jwsAlgorithms } from './compact-jws.js';
export type { JwsAlgorithm } from './compact-jws.js';
export { algorithmForKey, createSigner } from './signer.js';
export type { PrivateKeyInput, Signer, SignerOptions } from './signer.js';
export { loadSigner } from './load-signer.js';

export { createTokenVerifier, mintToken, tokenRoles, MAX_TOKEN_TTL_SECONDS } from './token.js';
export type {
  MintRequest,
  TokenIssuerSettings,
  TokenPrincipal,
  TokenReason,
  TokenReasonCode,
  TokenRole,
  TokenVerification,
  TokenVerifier,
  TokenVerifierSettings,
} from './token.js';
export type { JsonWebKeySet, PublicJwk } from './jws.js';
export { jwkThumbprint } from './jwk-thumbprint.js';
