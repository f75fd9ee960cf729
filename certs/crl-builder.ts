// certs/crl-builder: issue an X.509 v2 CRL (RFC 5280 §5.1) signed by a CA's key, encoded with forge's DER codec
// and signed with node:crypto. For tests and tooling (node-forge itself cannot build CRLs); throws on a bad
// spec (a programming error), never touches the disk.
import { sign, type KeyObject } from 'node:crypto';
import { encodeDer, type Asn1Node } from './forge.js';
import { bits, bool, explicit, implicit, octets, oid, raw, seq, time, uint } from './der.js';
import { keyIdentifier, signatureAlgorithmFor, type CertificateHash } from './certificate-builder.js';
import { parseCertificate } from './certificate.js';
import { CrlEntryExtensionOid, CrlExtensionOid } from './oids.js';

export interface CrlEntrySpec {
  /** The certificate's serial as ParsedCertificate.serialHex gives it. */
  readonly serialHex: string;
  readonly revokedAt: Date;
  /** RFC 5280 §5.3.1 CRLReason, e.g. 1 keyCompromise; absent = no reasonCode extension. */
  readonly reason?: number;
}

export interface CrlSpec {
  /** The CA whose certificates the CRL speaks for, with the key that signs it. */
  readonly issuer: { readonly certificate: Uint8Array; readonly privateKey: KeyObject };
  readonly thisUpdate: Date;
  /** Absent = left out (non-conforming, RFC 5280 §5.1.2.5; for tests). */
  readonly nextUpdate?: Date;
  readonly revoked: readonly CrlEntrySpec[];
  /** Default 1; null = left out (non-conforming, RFC 5280 §5.2.3; for tests). */
  readonly crlNumber?: number | null;
  /** Mark cRLNumber critical (non-conforming, RFC 5280 §5.2.3; for tests). */
  readonly crlNumberCritical?: boolean;
  /** Digest for RSA/ECDSA issuers (default sha256). */
  readonly hash?: CertificateHash;
  readonly extraExtensions?: readonly {
    readonly oid: string;
    readonly critical: boolean;
    readonly value: Uint8Array;
  }[];
}

function extension(extOid: string, critical: boolean, value: Asn1Node | Uint8Array): Asn1Node {
  const content = value instanceof Uint8Array ? value : encodeDer(value);
  return critical ? seq(oid(extOid), bool(true), octets(content)) : seq(oid(extOid), octets(content));
}

/** Builds and signs the CRL; returns its DER. */
export function buildCrl(spec: CrlSpec): Buffer {
  const parsed = parseCertificate(spec.issuer.certificate);
  if (!parsed.ok) throw new TypeError(`issuer certificate: ${parsed.message}`);
  const issuer = parsed.certificate;
  const algorithm = signatureAlgorithmFor(spec.issuer.privateKey, spec.hash ?? 'sha256');
  const entries = spec.revoked.map((entry) => {
    if (!/^([0-9a-f]{2})+$/.test(entry.serialHex))
      throw new TypeError(`serial ${entry.serialHex} is not hex`);
    const fields: Asn1Node[] = [uint(Buffer.from(entry.serialHex, 'hex')), time(entry.revokedAt)];
    if (entry.reason !== undefined) {
      // RFC 5280 §5.3.1: CRLReason ::= ENUMERATED (universal tag 10).
      const reason: Asn1Node = { ...uint(entry.reason), tag: 10 };
      fields.push(seq(extension(CrlEntryExtensionOid.reasonCode, false, reason)));
    }
    return seq(...fields);
  });
  const authorityKeyId =
    issuer.subjectKeyId === undefined
      ? keyIdentifier(issuer.publicKey)
      : Buffer.from(issuer.subjectKeyId, 'hex');
  const exts: Asn1Node[] = [
    // RFC 5280 §5.2.1 and §5.2.3: conforming CRL issuers MUST include the AKI and the cRLNumber.
    extension(CrlExtensionOid.authorityKeyIdentifier, false, seq(implicit(0, authorityKeyId))),
    ...(spec.crlNumber === null
      ? []
      : [extension(CrlExtensionOid.crlNumber, spec.crlNumberCritical === true, uint(spec.crlNumber ?? 1))]),
    ...(spec.extraExtensions ?? []).map((e) => extension(e.oid, e.critical, e.value)),
  ];
  const tbs = seq(
    uint(1), // v2
    algorithm.id,
    raw(issuer.subject),
    time(spec.thisUpdate),
    ...(spec.nextUpdate === undefined ? [] : [time(spec.nextUpdate)]),
    // RFC 5280 §5.1.2.6: absent, not empty, when nothing is revoked.
    ...(entries.length === 0 ? [] : [seq(...entries)]),
    explicit(0, seq(...exts)),
  );
  const tbsDer = encodeDer(tbs);
  const signature = sign(algorithm.digest, tbsDer, { key: spec.issuer.privateKey, dsaEncoding: 'der' });
  return encodeDer(seq(tbs, algorithm.id, bits(signature)));
}
