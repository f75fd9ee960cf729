// certs/token: bearer tokens of api.md §3 — minting with the development issuer key, and a verifier against a
// JWKS (iss, aud, exp checked; asymmetric algorithms only, so `none` and HMAC are refused; RFC 8725 §3.1).
// The verifier takes `now`; it answers with a reason, never throws for a bad token.
import type { KeyObject } from 'node:crypto';
import { Rules } from './claims-reader.js';
import { jwkThumbprint } from './jwk-thumbprint.js';
import { createLruCache } from './lru-cache.js';
import { signCompactJwsSync } from './compact-jws.js';
import { createJwksJwtVerifier, type JsonWebKeySet, type JwtFailure } from './jws.js';
import { algorithmForKey, toPrivateKey, type PrivateKeyInput } from './key-algorithm.js';

export const tokenRoles = ['enterprise', 'reviewer', 'ops', 'admin'] as const;
export type TokenRole = (typeof tokenRoles)[number];

export interface TokenPrincipal {
  readonly sub: string;
  readonly role: TokenRole;
  /** The exporter's USCC; present exactly when role is `enterprise`. */
  readonly exporter?: string;
}

export interface MintRequest {
  readonly role: TokenRole;
  readonly exporter?: string;
  readonly sub: string;
  readonly ttlSeconds: number;
}

export interface TokenIssuerSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly now: Date;
}

/** Asymmetric JWS algorithms only (RFC 7518 §3.1 minus HS* and none). */
export const tokenAlgorithms = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
] as const;

/** Thirty days: enough for a long demo or a CI run, short enough that a leaked development token ages out. */
export const MAX_TOKEN_TTL_SECONDS = 86400 * 30;

/** Mints a bearer token signed by `issuerKey`; kid is the key's RFC 7638 thumbprint (as in the dev JWKS). */
export function mintToken(
  request: MintRequest,
  issuerKey: PrivateKeyInput,
  settings: TokenIssuerSettings,
): Promise<string> {
  // Kept async (callers await it); the signing itself is synchronous node:crypto.
  return Promise.resolve().then(() => mintTokenSync(request, issuerKey, settings));
}

function mintTokenSync(
  request: MintRequest,
  issuerKey: PrivateKeyInput,
  settings: TokenIssuerSettings,
): string {
  const { role, exporter, sub, ttlSeconds } = request;
  if (!tokenRoles.includes(role)) throw new TypeError(`role must be one of ${tokenRoles.join(', ')}`);
  if (role === 'enterprise' && (exporter === undefined || !Rules.uscc.pattern.test(exporter))) {
    throw new TypeError('an enterprise token needs an exporter USCC');
  }
  if (sub === '' || sub.length > 256) throw new TypeError('sub must be 1-256 characters');
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
    throw new TypeError(`ttlSeconds must be an integer 1-${MAX_TOKEN_TTL_SECONDS}`);
  }
  const key: KeyObject = toPrivateKey(issuerKey);
  const iat = Math.floor(settings.now.getTime() / 1000);
  const claims = {
    iss: settings.issuer,
    aud: settings.audience,
    sub,
    role,
    ...(role === 'enterprise' ? { exporter } : {}),
    iat,
    exp: iat + ttlSeconds,
  };
  const alg = algorithmForKey(key);
  // node:crypto, not jose: minting is all `xborder token mint` does, and loading jose doubled its start time.
  return signCompactJwsSync(
    alg,
    { alg, typ: 'JWT', kid: jwkThumbprint(key) },
    Buffer.from(JSON.stringify(claims), 'utf8'),
    key,
  );
}

export type TokenReasonCode =
  | 'TOKEN-MALFORMED'
  | 'TOKEN-ALG'
  | 'TOKEN-KEY'
  | 'TOKEN-SIGNATURE'
  | 'TOKEN-EXPIRED'
  | 'TOKEN-NOT-YET-VALID'
  | 'TOKEN-ISSUER'
  | 'TOKEN-AUDIENCE'
  | 'TOKEN-CLAIMS';

export interface TokenReason {
  readonly code: TokenReasonCode;
  readonly message: string;
}

export type TokenVerification =
  | { readonly ok: true; readonly principal: TokenPrincipal }
  | { readonly ok: false; readonly reason: TokenReason };

export type TokenVerifier = (token: string, now: Date) => Promise<TokenVerification>;

export interface TokenVerifierSettings {
  readonly jwks: JsonWebKeySet;
  readonly issuer: string;
  readonly audience: string;
}

const failureCodes: Record<JwtFailure, TokenReasonCode> = {
  malformed: 'TOKEN-MALFORMED',
  algorithm: 'TOKEN-ALG',
  key: 'TOKEN-KEY',
  signature: 'TOKEN-SIGNATURE',
  expired: 'TOKEN-EXPIRED',
  'not-yet-valid': 'TOKEN-NOT-YET-VALID',
  issuer: 'TOKEN-ISSUER',
  audience: 'TOKEN-AUDIENCE',
  claims: 'TOKEN-CLAIMS',
};

const claimsReason = (message: string): TokenVerification => ({
  ok: false,
  reason: { code: 'TOKEN-CLAIMS', message },
});

/**
 * Tokens verified lately. A client sends the same token with every request until it expires, and the signature
 * check (about 0.25 ms for ES256) was the largest single cost of a small request; a hit is a map lookup. Only
 * accepted tokens are kept, with the window in which they were accepted (nbf, exp), which a hit re-checks
 * against the caller's `now`; the key set is fixed for the verifier's life.
 */
const VERIFIED_TOKENS = 1024;

interface Accepted {
  readonly principal: TokenPrincipal;
  readonly notBefore: number;
  readonly expires: number;
}

/** Builds the bearer-token verifier. Throws at start-up for a JWKS holding private or symmetric keys. */
export function createTokenVerifier(settings: TokenVerifierSettings): TokenVerifier {
  const verify = createJwksJwtVerifier(settings.jwks, {
    issuer: settings.issuer,
    audience: settings.audience,
    algorithms: tokenAlgorithms,
    // RFC 7519 §4.1.4: exp is optional in JWT, required here (api.md §3).
    requiredClaims: ['exp', 'sub'],
  });
  const accepted = createLruCache<string, Accepted>(VERIFIED_TOKENS);
  return async (token, now) => {
    // Whole seconds, as the JWT check itself compares them (RFC 7519 NumericDate).
    const seconds = Math.floor(now.getTime() / 1000);
    const known = accepted.get(token);
    if (known !== undefined && known.notBefore <= seconds && seconds < known.expires)
      return { ok: true, principal: known.principal };
    const checked = await verify(token, now);
    if (!checked.ok)
      return { ok: false, reason: { code: failureCodes[checked.failure], message: checked.message } };
    const { sub, role, exporter, nbf, exp } = checked.claims;
    if (typeof sub !== 'string' || sub === '') return claimsReason('sub must be a non-empty string');
    const knownRole = tokenRoles.find((r) => r === role);
    if (knownRole === undefined) return claimsReason(`role must be one of ${tokenRoles.join(', ')}`);
    let principal: TokenPrincipal;
    if (knownRole !== 'enterprise') principal = Object.freeze({ sub, role: knownRole });
    else if (typeof exporter !== 'string' || !Rules.uscc.pattern.test(exporter))
      return claimsReason('an enterprise token needs an exporter USCC claim');
    else principal = Object.freeze({ sub, role: knownRole, exporter });
    // exp is required and nbf optional; the JWT check has already refused them if they were not numbers.
    if (typeof exp === 'number')
      accepted.set(token, { principal, notBefore: typeof nbf === 'number' ? nbf : -Infinity, expires: exp });
    return { ok: true, principal };
  };
}
