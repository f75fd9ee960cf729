// certs/signer: a signing identity — private key, its JWS algorithm and its certificate chain (the x5c).
// Built from PEM text already in memory; throws for a key/certificate mismatch (a configuration error, found
// at start-up). Reading the files is load-signer.ts's job.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { parseCertificate } from './certificate.js';
import type { JwsAlgorithm } from './compact-jws.js';
import { parsePem } from './pem.js';

export interface Signer {
  readonly alg: JwsAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** DER certificates, leaf first then intermediates: the JWS x5c (RFC 7515 §4.1.6). */
  readonly chain: readonly Buffer[];
  readonly leafSha256: string;
  readonly subjectCn: string | undefined;
}

export type PrivateKeyInput = KeyObject | string;

export interface SignerOptions {
  /** RSA keys sign with PS256 unless told otherwise (RFC 8017 §8: PSS is recommended for new applications). */
  readonly rsaAlgorithm?: 'PS256' | 'RS256';
}

/** The JWS algorithm for a private key: Ed25519 → EdDSA, P-256 → ES256, RSA ≥ 2048 → PS256/RS256. */
export function algorithmForKey(key: KeyObject, options: SignerOptions = {}): JwsAlgorithm {
  const type = key.asymmetricKeyType;
  if (type === 'ed25519') return 'EdDSA';
  if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (type === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048)
    return options.rsaAlgorithm ?? 'PS256';
  const detail = key.asymmetricKeyDetails?.namedCurve ?? key.asymmetricKeyDetails?.modulusLength ?? '';
  throw new TypeError(
    `no accepted JWS algorithm for a ${type ?? 'unknown'} ${String(detail)} key (ES256, EdDSA, PS256, RS256)`,
  );
}

export function toPrivateKey(key: PrivateKeyInput): KeyObject {
  return typeof key === 'string' ? createPrivateKey(key) : key;
}

export function createSigner(key: PrivateKeyInput, chainPem: string, options: SignerOptions = {}): Signer {
  const privateKey = toPrivateKey(key);
  if (privateKey.type !== 'private') throw new TypeError('signer: the key is not a private key');
  const chain = parsePem(chainPem);
  if (chain === undefined || chain.length === 0)
    throw new TypeError('signer: the certificate file holds no PEM certificate');
  const leaf = parseCertificate(chain[0] ?? Buffer.alloc(0));
  if (!leaf.ok) throw new TypeError(`signer: the leaf certificate is malformed: ${leaf.message}`);
  const publicKey = createPublicKey(privateKey);
  const spki = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });
  if (!spki(publicKey).equals(spki(leaf.certificate.publicKey))) {
    throw new TypeError(
      `signer: the private key does not belong to certificate '${leaf.certificate.subjectCn ?? leaf.certificate.sha256}'`,
    );
  }
  return {
    alg: algorithmForKey(privateKey, options),
    privateKey,
    publicKey,
    chain,
    leafSha256: leaf.certificate.sha256,
    subjectCn: leaf.certificate.subjectCn,
  };
}
