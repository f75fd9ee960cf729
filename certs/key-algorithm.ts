// certs/key-algorithm: a private key from PEM text and the JWS algorithm it signs with. Apart from signer.ts so
// that minting a token (`xborder token mint`) does not load the certificate parser (node-forge) it never uses.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from './compact-jws.js';

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
