// certs/certificate-summary: the few facts the console and CLI show about a certificate. Pure; undefined for
// input that is not a PEM certificate.
import { parseCertificate, type PublicKeyInfo } from './certificate.js';
import { pemToDer } from './pem.js';

export interface CertificateSummary {
  readonly subjectCn: string | undefined;
  readonly issuerCn: string | undefined;
  /** Lowercase hex, no leading zero octets. */
  readonly serial: string;
  /** ISO 8601 UTC. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** Hex SHA-256 of the DER: what a revocation names (api.md §5). */
  readonly sha256: string;
  /** e.g. "EC P-256", "RSA 3072", "Ed25519". */
  readonly key: string;
  readonly signatureAlgorithm: string;
  readonly isCa: boolean;
}

const curveNames: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

function describeKey(key: PublicKeyInfo): string {
  switch (key.kind) {
    case 'rsa':
      return `RSA ${key.bits}`;
    case 'ec':
      return `EC ${curveNames[key.curve] ?? key.curve}`;
    case 'ed25519':
      return 'Ed25519';
    case 'other':
      return key.type;
  }
}

/** Summarises the first certificate in `pem`. */
export function certificateSummary(pem: string): CertificateSummary | undefined {
  const der = pemToDer(pem);
  const parsed = der === undefined ? undefined : parseCertificate(der);
  if (parsed === undefined || !parsed.ok) return undefined;
  const c = parsed.certificate;
  return {
    subjectCn: c.subjectCn,
    issuerCn: c.issuerCn,
    serial: c.serialHex,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    sha256: c.sha256,
    key: describeKey(c.key),
    signatureAlgorithm: c.signatureAlgorithm.name,
    isCa: c.basicConstraints?.ca === true,
  };
}
