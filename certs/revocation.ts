// certs/revocation: the seam through which revocation facts reach chain validation. Two sources: the registry's
// list of revoked certificate SHA-256s (api.md §5 POST /v1/revocations) and CRL files in the trust dir
// (RFC 5280 §5, crl-revocation.ts). Pure: sources are data, lookups never do I/O.
import type { KeyObject } from 'node:crypto';
import type { KeyUsageBit } from './oids.js';

/** What a source may key on: the DER fingerprint, or issuer Name + serial as a CRL does (RFC 5280 §5.3.3). */
export interface RevocationSubject {
  readonly sha256: string;
  readonly serialHex: string;
  readonly issuer: Buffer;
}

/** The certificate that issued the subject, when the path has it: a CRL's signature is checked with its key. */
export interface RevocationIssuer {
  readonly sha256: string;
  readonly subject: Buffer;
  readonly subjectCn: string | undefined;
  readonly subjectKeyId: string | undefined;
  readonly publicKey: KeyObject;
  readonly keyUsage: ReadonlySet<KeyUsageBit> | undefined;
}

/**
 * RFC 5280 §6.3.3 ends in revoked, unrevoked or UNDETERMINED. Undetermined is never taken as good: a configured
 * CRL that is stale or cannot be used fails the path closed with its own code.
 */
export type RevocationStatus =
  | { readonly status: 'good' }
  | { readonly status: 'revoked'; readonly detail: string }
  | {
      readonly status: 'undetermined';
      readonly code: 'CHAIN-CRL-STALE' | 'CHAIN-CRL-INVALID' | 'CHAIN-CRL-NUMBER';
      readonly detail: string;
    };

export interface RevocationSource {
  /** Shown in reasons, e.g. "revocation list" or "trust-dir CRLs". */
  readonly name: string;
  /** The subject's status as of `now`; `issuer` is its issuer in the path being validated, if any. */
  check(subject: RevocationSubject, issuer: RevocationIssuer | undefined, now: Date): RevocationStatus;
}

export const good: RevocationStatus = { status: 'good' };

/** The registry's revocation list: hex SHA-256 of revoked certificates' DER (lowercase; uppercase also matched). */
export function createSha256RevocationSource(revokedSha256: ReadonlySet<string>): RevocationSource {
  return {
    name: 'revocation list',
    check: (subject) =>
      revokedSha256.has(subject.sha256) || revokedSha256.has(subject.sha256.toUpperCase())
        ? { status: 'revoked', detail: 'listed by an administrator (POST /v1/revocations)' }
        : good,
  };
}
