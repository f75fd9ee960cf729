// certs/revocation: the seam through which revocation facts reach chain validation. Today one source — the
// registry's list of revoked certificate SHA-256s (api.md §5 POST /v1/revocations); CRL files (RFC 5280 §5)
// are a later source implementing the same interface. Pure: sources are data, lookups never do I/O.

/** What a source may key on: the DER fingerprint, or issuer Name + serial as a CRL does (RFC 5280 §5.3.3). */
export interface RevocationSubject {
  readonly sha256: string;
  readonly serialHex: string;
  readonly issuer: Buffer;
}

export interface RevocationSource {
  /** Shown in reasons, e.g. "revocation list" or "CRL of <issuer>". */
  readonly name: string;
  /** True when the certificate is revoked as of `at`. */
  isRevoked(subject: RevocationSubject, at: Date): boolean;
}

/** The registry's revocation list: hex SHA-256 of revoked certificates' DER (lowercase; uppercase also matched). */
export function createSha256RevocationSource(revokedSha256: ReadonlySet<string>): RevocationSource {
  return {
    name: 'revocation list',
    isRevoked: (subject) =>
      revokedSha256.has(subject.sha256) || revokedSha256.has(subject.sha256.toUpperCase()),
  };
}
