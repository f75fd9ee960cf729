// certs/signature-algorithm: X.509 signature AlgorithmIdentifiers (RFC 5280 §4.1.1.2, RFC 4055, RFC 5758,
// RFC 8410) — what they name, whether we accept them, and checking a signature over DER with node:crypto.
// Used for certificates and CRLs alike. Pure; never throws for bad input.
import { constants, verify, type KeyObject } from 'node:crypto';
import type { Asn1Node } from './forge.js';
import { isContext, isSequence, readSmallUint, readOid } from './der.js';
import { HashOid, SignatureOid } from './oids.js';

/** The digest inside a signature algorithm; `intrinsic` for EdDSA (RFC 8032), undefined when unknown. */
export type SignatureHash = 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'intrinsic';

export interface SignatureAlgorithm {
  readonly oid: string;
  readonly name: string;
  readonly hash: SignatureHash | undefined;
}

const signatureTable: Record<string, { name: string; hash: SignatureHash | undefined }> = {
  [SignatureOid.md5WithRsa]: { name: 'md5WithRSAEncryption', hash: 'md5' },
  [SignatureOid.sha1WithRsa]: { name: 'sha1WithRSAEncryption', hash: 'sha1' },
  [SignatureOid.sha256WithRsa]: { name: 'sha256WithRSAEncryption', hash: 'sha256' },
  [SignatureOid.sha384WithRsa]: { name: 'sha384WithRSAEncryption', hash: 'sha384' },
  [SignatureOid.sha512WithRsa]: { name: 'sha512WithRSAEncryption', hash: 'sha512' },
  [SignatureOid.ecdsaWithSha1]: { name: 'ecdsa-with-SHA1', hash: 'sha1' },
  [SignatureOid.ecdsaWithSha256]: { name: 'ecdsa-with-SHA256', hash: 'sha256' },
  [SignatureOid.ecdsaWithSha384]: { name: 'ecdsa-with-SHA384', hash: 'sha384' },
  [SignatureOid.ecdsaWithSha512]: { name: 'ecdsa-with-SHA512', hash: 'sha512' },
  [SignatureOid.ed25519]: { name: 'Ed25519', hash: 'intrinsic' },
  [SignatureOid.ed448]: { name: 'Ed448', hash: 'intrinsic' },
};
const hashTable: Record<string, SignatureHash> = {
  [HashOid.sha1]: 'sha1',
  [HashOid.sha256]: 'sha256',
  [HashOid.sha384]: 'sha384',
  [HashOid.sha512]: 'sha512',
};

const STRONG_SIGNATURE_OIDS: ReadonlySet<string> = new Set([
  SignatureOid.sha256WithRsa,
  SignatureOid.sha384WithRsa,
  SignatureOid.sha512WithRsa,
  SignatureOid.rsassaPss, // with its hash checked below
  SignatureOid.ecdsaWithSha256,
  SignatureOid.ecdsaWithSha384,
  SignatureOid.ecdsaWithSha512,
  SignatureOid.ed25519,
]);

/** RFC 4055 §3.1 RSASSA-PSS-params: hash [0] (default SHA-1), MGF1 hash [1], salt length [2] (default 20). */
interface PssParams {
  readonly hash: SignatureHash | undefined;
  readonly mgfHash: SignatureHash | undefined;
  readonly saltLength: number | undefined;
}

function readPssParams(params: Asn1Node | undefined): PssParams {
  const fields = isSequence(params) ? params.children : [];
  const field = (tag: number) => fields.find((c) => isContext(c, tag))?.children[0];
  const hashOf = (algorithm: Asn1Node | undefined, fallback: string): SignatureHash | undefined => {
    const oid = algorithm === undefined ? fallback : readOid(algorithm.children[0]);
    return oid === undefined ? undefined : hashTable[oid];
  };
  const mgf = field(1);
  const saltNode = field(2);
  return {
    hash: hashOf(field(0), HashOid.sha1),
    // MGF1's parameter is the AlgorithmIdentifier of its hash (RFC 4055 §2.2).
    mgfHash: hashOf(mgf === undefined ? undefined : mgf.children[1], HashOid.sha1),
    saltLength: saltNode === undefined ? 20 : readSmallUint(saltNode),
  };
}

/** An AlgorithmIdentifier's facts; undefined when it has no OID. */
export function readSignatureAlgorithm(node: Asn1Node | undefined): SignatureAlgorithm | undefined {
  if (!isSequence(node)) return undefined;
  const oid = readOid(node.children[0]);
  if (oid === undefined) return undefined;
  if (oid === SignatureOid.rsassaPss)
    return { oid, name: 'RSASSA-PSS', hash: readPssParams(node.children[1]).hash };
  const known = signatureTable[oid];
  return { oid, name: known?.name ?? oid, hash: known?.hash };
}

/** Our policy (certs/README.md): RSA PKCS#1 v1.5 / PSS, ECDSA and Ed25519 over SHA-2 only — no MD5, no SHA-1. */
export function isStrongSignatureAlgorithm(alg: SignatureAlgorithm): boolean {
  if (!STRONG_SIGNATURE_OIDS.has(alg.oid)) return false;
  return alg.hash === 'sha256' || alg.hash === 'sha384' || alg.hash === 'sha512' || alg.hash === 'intrinsic';
}

/**
 * Checks `signature` over `data` with `key` under the AlgorithmIdentifier `algorithm`. False for anything that
 * does not verify, including a key that does not fit the algorithm and algorithms we do not accept.
 */
export function verifySignatureValue(
  algorithm: Asn1Node,
  data: Uint8Array,
  signature: Uint8Array,
  key: KeyObject,
): boolean {
  const alg = readSignatureAlgorithm(algorithm);
  if (alg === undefined || !isStrongSignatureAlgorithm(alg)) return false;
  const keyType = key.asymmetricKeyType;
  try {
    switch (alg.oid) {
      case SignatureOid.ed25519:
        return keyType === 'ed25519' && verify(null, data, key, signature);
      case SignatureOid.ecdsaWithSha256:
      case SignatureOid.ecdsaWithSha384:
      case SignatureOid.ecdsaWithSha512:
        // RFC 5758 §3.2: ECDSA-Sig-Value is DER.
        return keyType === 'ec' && verify(alg.hash ?? null, data, { key, dsaEncoding: 'der' }, signature);
      case SignatureOid.rsassaPss: {
        const params = readPssParams(algorithm.children[1]);
        if (params.mgfHash !== params.hash || params.saltLength === undefined) return false;
        return (
          (keyType === 'rsa' || keyType === 'rsa-pss') &&
          verify(
            alg.hash ?? null,
            data,
            { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength },
            signature,
          )
        );
      }
      default:
        return (
          keyType === 'rsa' &&
          verify(alg.hash ?? null, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature)
        );
    }
  } catch {
    return false;
  }
}
