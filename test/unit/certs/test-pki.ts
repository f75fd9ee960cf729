// test/unit/certs/test-pki: small certificate factory for the certs tests — real keys, real signatures, fixed
// dates. Not a test file itself (no .test suffix).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { buildCertificate, type CertificateSpec } from '../../../certs/certificate-builder.js';
import { derToPem } from '../../../certs/pem.js';

export const NOW = new Date('2025-06-01T00:00:00Z');
export const daysFromNow = (n: number): Date => new Date(NOW.getTime() + n * 86400_000);

export interface KeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

export type KeyKind = 'rsa1024' | 'rsa2048' | 'p256' | 'p384' | 'p521' | 'ed25519';

export function makeKey(kind: KeyKind): KeyPair {
  switch (kind) {
    case 'rsa1024':
      return generateKeyPairSync('rsa', { modulusLength: 1024 });
    case 'rsa2048':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'p256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'p384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'p521':
      return generateKeyPairSync('ec', { namedCurve: 'P-521' });
    case 'ed25519':
      return generateKeyPairSync('ed25519');
  }
}

export interface Issued {
  readonly der: Buffer;
  readonly pem: string;
  readonly key: KeyPair;
}

export interface IssueOptions {
  readonly cn: string;
  readonly key: KeyPair;
  /** Absent: self-signed. */
  readonly issuer?: Issued;
  readonly ca?: { readonly pathLen?: number };
  readonly basicConstraints?: false;
  readonly keyUsage?: CertificateSpec['keyUsage'];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly hash?: CertificateSpec['hash'];
  readonly extraExtensions?: CertificateSpec['extraExtensions'];
  readonly nameConstraints?: CertificateSpec['nameConstraints'];
  readonly subjectAltNames?: CertificateSpec['subjectAltNames'];
}

/** Issues a certificate: CAs default to keyCertSign+cRLSign, leaves to digitalSignature; valid NOW-1d..NOW+365d. */
export function issue(o: IssueOptions): Issued {
  const isCa = o.ca !== undefined;
  const der = buildCertificate({
    subject: { cn: o.cn, o: 'xborder tests' },
    subjectKey: o.key.publicKey,
    issuer:
      o.issuer === undefined
        ? { selfSignedWith: o.key.privateKey }
        : { certificate: o.issuer.der, privateKey: o.issuer.key.privateKey },
    notBefore: o.notBefore ?? daysFromNow(-1),
    notAfter: o.notAfter ?? daysFromNow(365),
    ...(o.ca === undefined ? {} : { ca: o.ca }),
    ...(o.basicConstraints === undefined ? {} : { basicConstraints: o.basicConstraints }),
    keyUsage: o.keyUsage ?? (isCa ? ['keyCertSign', 'cRLSign'] : ['digitalSignature']),
    ...(o.hash === undefined ? {} : { hash: o.hash }),
    ...(o.extraExtensions === undefined ? {} : { extraExtensions: o.extraExtensions }),
    ...(o.nameConstraints === undefined ? {} : { nameConstraints: o.nameConstraints }),
    ...(o.subjectAltNames === undefined ? {} : { subjectAltNames: o.subjectAltNames }),
  });
  return { der, pem: derToPem(der), key: o.key };
}
