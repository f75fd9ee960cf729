// certs/signer: a signing identity — private key, its JWS algorithm and its certificate chain (the x5c).
// Built from PEM text already in memory; throws for a key/certificate mismatch (a configuration error, found
// at start-up). Reading the files is load-signer.ts's job.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { parseCertificate } from './certificate.js';
import type { JwsAlgorithm } from './compact-jws.js';
import { algorithmForKey, toPrivateKey, type PrivateKeyInput, type SignerOptions } from './key-algorithm.js';
import { parsePem } from './pem.js';

export { algorithmForKey, toPrivateKey, type PrivateKeyInput, type SignerOptions };

export interface Signer {
  readonly alg: JwsAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** DER certificates, leaf first then intermediates: the JWS x5c (RFC 7515 §4.1.6). */
  readonly chain: readonly Buffer[];
  readonly leafSha256: string;
  readonly subjectCn: string | undefined;
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
