// certs/compact-jws: JWS Compact Serialization parsing and signature verification (RFC 7515 §3.1, §5.2;
// RFC 7518 §3; RFC 8037 §3.1) with node:crypto, synchronously, so evidence checks stay pure functions; and signing
// the same way, for `xborder token mint`, which must not wait for jose to load (issue 15). Knows nothing of x5c or
// claims; never throws for bad input.
import { constants, sign, verify, type KeyObject } from 'node:crypto';
import type { JsonObject } from './claims-reader.js';

/** The asymmetric algorithms xborder accepts (api.md §5). No `none` (RFC 7518 §3.6), no HMAC. */
export const jwsAlgorithms = ['ES256', 'EdDSA', 'PS256', 'RS256'] as const;
export type JwsAlgorithm = (typeof jwsAlgorithms)[number];

export const isJwsAlgorithm = (alg: unknown): alg is JwsAlgorithm => jwsAlgorithms.some((a) => a === alg);

/** Larger than any attestation with a long chain; bounds work done on hostile input. */
export const MAX_JWS_LENGTH = 256 * 1024;

export interface CompactJws {
  readonly header: JsonObject;
  readonly payload: Buffer;
  readonly signature: Buffer;
  /** ASCII(BASE64URL(header) || '.' || BASE64URL(payload)) — what was signed (RFC 7515 §5.1 step 8). */
  readonly signingInput: Buffer;
}

export type CompactJwsParse =
  { readonly ok: true; readonly jws: CompactJws } | { readonly ok: false; readonly message: string };

/** RFC 7515 §2: base64url without padding; canonical (re-encoding gives the same text). */
export function decodeBase64Url(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses JSON text that must be an object; undefined otherwise. */
export function parseJsonObject(bytes: Uint8Array): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(strictUtf8.decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

export function parseCompactJws(text: string): CompactJwsParse {
  if (text.length > MAX_JWS_LENGTH) return { ok: false, message: `longer than ${MAX_JWS_LENGTH} characters` };
  const parts = text.split('.');
  if (parts.length !== 3) return { ok: false, message: 'not three dot-separated parts (RFC 7515 §7.1)' };
  const [h = '', p = '', s = ''] = parts;
  const headerBytes = decodeBase64Url(h);
  const payload = decodeBase64Url(p);
  const signature = decodeBase64Url(s);
  if (headerBytes === undefined || payload === undefined || signature === undefined)
    return { ok: false, message: 'a part is not base64url' };
  // RFC 7515 §5.2 steps 3-4: the header is a JSON object; JSON.parse keeps only the lexically last duplicate name.
  const header = parseJsonObject(headerBytes);
  if (header === undefined) return { ok: false, message: 'the protected header is not a JSON object' };
  return { ok: true, jws: { header, payload, signature, signingInput: Buffer.from(`${h}.${p}`, 'ascii') } };
}

/** RFC 7518 §3.1 / RFC 8037: the key must be of the algorithm's family — no key confusion. */
export function keyFitsAlgorithm(alg: JwsAlgorithm, key: KeyObject): boolean {
  switch (alg) {
    case 'ES256':
      return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
    case 'EdDSA':
      return key.asymmetricKeyType === 'ed25519';
    case 'PS256':
    case 'RS256':
      return key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048; // RFC 7518 §3.3
  }
}

export function verifyJwsSignature(
  alg: JwsAlgorithm,
  key: KeyObject,
  signingInput: Buffer,
  signature: Buffer,
): boolean {
  if (!keyFitsAlgorithm(alg, key)) return false;
  try {
    switch (alg) {
      case 'ES256':
        // RFC 7518 §3.4: R || S, 32 octets each — not DER.
        return (
          signature.length === 64 &&
          verify('sha256', signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature)
        );
      case 'EdDSA':
        return verify(null, signingInput, key, signature);
      case 'PS256':
        // RFC 7518 §3.5: MGF1 with SHA-256 and a salt as long as the hash.
        return verify(
          'sha256',
          signingInput,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
          signature,
        );
      case 'RS256':
        return verify('sha256', signingInput, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
    }
  } catch {
    return false;
  }
}

/** Signs header + payload as a JWS Compact Serialization (RFC 7515 §5.1) with node:crypto; the header's `alg` is
 * set from `alg`. Throws for a key that does not fit the algorithm (a programming or configuration error). */
export function signCompactJwsSync(
  alg: JwsAlgorithm,
  header: Readonly<Record<string, unknown>>,
  payload: Uint8Array,
  key: KeyObject,
): string {
  if (!keyFitsAlgorithm(alg, key)) throw new TypeError(`the key does not fit ${alg}`);
  const h = Buffer.from(JSON.stringify({ ...header, alg }), 'utf8').toString('base64url');
  const signingInput = Buffer.from(`${h}.${Buffer.from(payload).toString('base64url')}`, 'ascii');
  const signature = ((): Buffer => {
    switch (alg) {
      case 'ES256':
        return sign('sha256', signingInput, { key, dsaEncoding: 'ieee-p1363' });
      case 'EdDSA':
        return sign(null, signingInput, key);
      case 'PS256':
        return sign('sha256', signingInput, {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: 32,
        });
      case 'RS256':
        return sign('sha256', signingInput, { key, padding: constants.RSA_PKCS1_PADDING });
    }
  })();
  return `${signingInput.toString('ascii')}.${signature.toString('base64url')}`;
}
