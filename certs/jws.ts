// certs/jws: the one file that touches jose — compact JWS signing, and JWT verification against a local JWKS.
// jose's types and errors stay here: callers get strings, plain objects and closed failure codes. jose is imported
// on first use, not at load: modules that only may verify (certs/token, read by `xborder token mint`) start at
// once (issue 15).
import type * as Jose from 'jose';
import type { JSONWebKeySet, JWK } from 'jose';
import type { KeyObject } from 'node:crypto';

let joseModule: Promise<typeof Jose> | undefined;
const jose = (): Promise<typeof Jose> => (joseModule ??= import('jose'));

export type JwsHeader = Readonly<Record<string, unknown>> & { readonly alg: string };

/** Signs `payload` as a JWS Compact Serialization with the given protected header (RFC 7515 §5.1). */
export async function signCompactJws(
  header: JwsHeader,
  payload: Uint8Array,
  key: KeyObject,
): Promise<string> {
  const { CompactSign } = await jose();
  // jose refuses unknown `crit` names when signing too; we never set crit.
  return new CompactSign(payload).setProtectedHeader({ ...header }).sign(key);
}

/** A public JWK as found in a JWKS (RFC 7517 §4). */
export type PublicJwk = Readonly<Record<string, unknown>> & { readonly kty: string };

export interface JsonWebKeySet {
  readonly keys: readonly PublicJwk[];
}

export type JwtFailure =
  | 'malformed'
  | 'algorithm'
  | 'key'
  | 'signature'
  | 'expired'
  | 'not-yet-valid'
  | 'issuer'
  | 'audience'
  | 'claims';

export type JwtCheck =
  | { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly failure: JwtFailure; readonly message: string };

export interface JwtVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly algorithms: readonly string[];
  readonly requiredClaims: readonly string[];
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'priv'];

/** Throws (at start-up) for a JWKS that is not a set of public asymmetric keys. */
function toJoseJwks(jwks: JsonWebKeySet): JSONWebKeySet {
  // The set usually comes from a file: check its shape at run time, whatever the static type says.
  const entries: unknown = jwks.keys;
  if (!Array.isArray(entries) || entries.length === 0)
    throw new TypeError('JWKS: "keys" must be a non-empty array');
  const keys = entries.map((entry: unknown, i): JWK => {
    if (typeof entry !== 'object' || entry === null) throw new TypeError(`JWKS key #${i}: not an object`);
    const key = entry as Record<string, unknown>;
    const kty = key['kty'];
    if (kty !== 'EC' && kty !== 'RSA' && kty !== 'OKP')
      throw new TypeError(`JWKS key #${i}: kty "${String(kty)}" is not an asymmetric key type`);
    const secret = PRIVATE_MEMBERS.find((m) => Object.hasOwn(key, m));
    if (secret !== undefined) throw new TypeError(`JWKS key #${i}: carries private member "${secret}"`);
    return { ...key, kty };
  });
  return { keys };
}

function classify(err: unknown): { failure: JwtFailure; message: string } {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  const message = err instanceof Error ? err.message : 'invalid token';
  const claim = typeof err === 'object' && err !== null && 'claim' in err ? String(err.claim) : '';
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return { failure: 'expired', message };
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'iss') return { failure: 'issuer', message };
      if (claim === 'aud') return { failure: 'audience', message };
      if (claim === 'nbf') return { failure: 'not-yet-valid', message };
      return { failure: 'claims', message };
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return { failure: 'algorithm', message };
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return { failure: 'key', message };
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return { failure: 'signature', message };
    default:
      return { failure: 'malformed', message };
  }
}

/** A verifier of JWTs signed by a key of `jwks` (RFC 7519 §7.2), with the current time as an input. */
export function createJwksJwtVerifier(
  jwks: JsonWebKeySet,
  options: JwtVerifierOptions,
): (token: string, now: Date) => Promise<JwtCheck> {
  const joseJwks = toJoseJwks(jwks);
  const verifier = jose().then(({ createLocalJWKSet, jwtVerify }) => ({
    keySet: createLocalJWKSet(joseJwks),
    jwtVerify,
  }));
  // Rejections surface on the first verification, not as an unhandled rejection at start-up.
  verifier.catch(() => undefined);
  return async (token, now) => {
    const { keySet, jwtVerify } = await verifier;
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [...options.algorithms],
        requiredClaims: [...options.requiredClaims],
        currentDate: now,
      });
      return { ok: true, claims: payload };
    } catch (err) {
      return { ok: false, ...classify(err) };
    }
  };
}
