// certs/x5c-jws: signed documents whose key travels in the x5c header (RFC 7515 §4.1.6) — attestations,
// release manifests, receipts. Verification checks the protected header strictly and the signature with the
// x5c leaf's key only; whether that leaf is trusted is chain.ts's call. Never throws for bad input.
import { createHash } from 'node:crypto';
import { parseCertificate } from './certificate.js';
import type { JsonObject } from './claims-reader.js';
import {
  isJwsAlgorithm,
  keyFitsAlgorithm,
  MAX_JWS_LENGTH,
  parseCompactJws,
  parseJsonObject,
  verifyJwsSignature,
  type JwsAlgorithm,
} from './compact-jws.js';
import { signCompactJws } from './jws.js';
import { createLruCache } from './lru-cache.js';
import type { Signer } from './signer.js';

export type JwsReasonCode =
  'JWS-MALFORMED' | 'JWS-ALG' | 'JWS-TYP' | 'JWS-CRIT' | 'JWS-X5C' | 'JWS-KEY' | 'JWS-SIGNATURE';

export interface JwsReason {
  readonly code: JwsReasonCode;
  readonly message: string;
}

export interface VerifiedX5cJws {
  readonly alg: JwsAlgorithm;
  readonly typ: string;
  readonly kid: string | undefined;
  readonly payload: JsonObject;
  /** DER of x5c[0], whose key verified the signature. */
  readonly leaf: Buffer;
  /** DER of x5c[1..]. */
  readonly intermediates: readonly Buffer[];
}

export type X5cJwsCheck =
  { readonly ok: true; readonly jws: VerifiedX5cJws } | { readonly ok: false; readonly reason: JwsReason };

/** More certificates than any sane chain needs; bounds path building on hostile input. */
export const MAX_X5C_LENGTH = 10;

/** Header parameters that would name a key from elsewhere; the key must come only from x5c. */
const FOREIGN_KEY_PARAMS = ['jwk', 'jku', 'x5u'];

const strictBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const reject = (code: JwsReasonCode, message: string): X5cJwsCheck => ({
  ok: false,
  reason: { code, message },
});

/** RFC 7515 §4.1.9: typ is a media type, compared case-insensitively, "application/" omissible. */
function sameType(actual: string, expected: string): boolean {
  const norm = (t: string): string => t.toLowerCase().replace(/^application\//, '');
  return norm(actual) === norm(expected);
}

function checkX5cJws(text: string, expectedTyp: string): X5cJwsCheck {
  const parsed = parseCompactJws(text);
  if (!parsed.ok) return reject('JWS-MALFORMED', `not a compact JWS: ${parsed.message}`);
  const { header } = parsed.jws;

  // RFC 7515 §4.1.1 / RFC 8725 §3.1: the algorithm comes from an allowlist — never `none`, never HMAC.
  const alg = header['alg'];
  if (!isJwsAlgorithm(alg))
    return reject('JWS-ALG', `alg ${JSON.stringify(alg ?? null)} is not one of ES256, EdDSA, PS256, RS256`);
  const typ = header['typ'];
  if (typeof typ !== 'string' || !sameType(typ, expectedTyp)) {
    return reject('JWS-TYP', `typ ${JSON.stringify(typ ?? null)} is not "${expectedTyp}" (RFC 8725 §3.11)`);
  }
  // RFC 7515 §4.1.11: extensions listed in crit MUST be understood; this profile understands none.
  if (header['crit'] !== undefined) {
    return reject(
      'JWS-CRIT',
      `crit ${JSON.stringify(header['crit'])} names extensions this verifier does not understand`,
    );
  }
  const foreign = FOREIGN_KEY_PARAMS.find((p) => Object.hasOwn(header, p));
  if (foreign !== undefined)
    return reject('JWS-KEY', `header parameter "${foreign}" is not allowed: the key comes only from x5c`);

  const x5c = header['x5c'];
  if (!Array.isArray(x5c) || x5c.length === 0)
    return reject('JWS-X5C', 'the x5c header (signer certificate chain) is missing');
  if (x5c.length > MAX_X5C_LENGTH)
    return reject('JWS-X5C', `x5c has ${x5c.length} certificates (at most ${MAX_X5C_LENGTH})`);
  const ders: Buffer[] = [];
  for (const [i, entry] of x5c.entries()) {
    // RFC 7515 §4.1.6: each entry is base64 (not base64url) DER.
    if (typeof entry !== 'string' || entry === '' || !strictBase64.test(entry))
      return reject('JWS-X5C', `x5c[${i}] is not base64 DER`);
    ders.push(Buffer.from(entry, 'base64'));
  }
  const [leafDer, ...intermediates] = ders as [Buffer, ...Buffer[]];
  const leaf = parseCertificate(leafDer);
  if (!leaf.ok) return reject('JWS-X5C', `x5c[0] is not a certificate: ${leaf.message}`);

  // RFC 7515 §4.1.7/§4.1.8: thumbprints, when present, must name the x5c leaf.
  const x5tS256 = header['x5t#S256'];
  if (x5tS256 !== undefined && x5tS256 !== createHash('sha256').update(leafDer).digest('base64url')) {
    return reject('JWS-X5C', 'x5t#S256 does not match the x5c leaf');
  }
  const x5t = header['x5t'];
  if (x5t !== undefined && x5t !== createHash('sha1').update(leafDer).digest('base64url')) {
    return reject('JWS-X5C', 'x5t does not match the x5c leaf');
  }

  const key = leaf.certificate.publicKey;
  if (!keyFitsAlgorithm(alg, key)) {
    return reject(
      'JWS-KEY',
      `alg ${alg} does not fit the x5c leaf's ${leaf.certificate.key.kind} key (RFC 7518 §3.1)`,
    );
  }
  if (!verifyJwsSignature(alg, key, parsed.jws.signingInput, parsed.jws.signature)) {
    return reject('JWS-SIGNATURE', 'the signature does not verify with the x5c leaf key (RFC 7515 §5.2)');
  }
  const payload = parseJsonObject(parsed.jws.payload);
  if (payload === undefined) return reject('JWS-MALFORMED', 'the payload is not a JSON object');
  const kid = header['kid'];
  return {
    ok: true,
    jws: { alg, typ, kid: typeof kid === 'string' ? kid : undefined, payload, leaf: leafDer, intermediates },
  };
}

/** A cached result is shared by every caller: its JSON is frozen, so none can change it for the others. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The same attestation is verified for every transfer that names it (its check, then again before each delivery
 * attempt). Header, x5c and signature are a function of the text and the expected typ alone, so a verified
 * document is kept by the SHA-256 of its text; its chain, times and revocation are still judged on every call by
 * the caller (signed-document.ts). Refusals are not kept: they are cheap to find again, and hostile input must not
 * push out what is in use.
 */
const VERIFIED_CACHE_SIZE = 256;
const verified = createLruCache<string, X5cJwsCheck & { ok: true }>(VERIFIED_CACHE_SIZE);

/** Checks a compact JWS whose key is its x5c leaf: header (strictly), x5c, and the signature. */
export function verifyX5cJws(text: string, expectedTyp: string): X5cJwsCheck {
  if (text.length > MAX_JWS_LENGTH) return checkX5cJws(text, expectedTyp);
  const key = `${expectedTyp}\n${createHash('sha256').update(text).digest('hex')}`;
  const known = verified.get(key);
  if (known !== undefined) return known;
  const result = checkX5cJws(text, expectedTyp);
  if (result.ok) verified.set(key, deepFreeze(result));
  return result;
}

/** Signs `claims` as a compact JWS with header { alg, typ, x5c } from the signer's key and chain. */
export async function signX5cJws(typ: string, claims: object, signer: Signer): Promise<string> {
  const header = { alg: signer.alg, typ, x5c: signer.chain.map((der) => der.toString('base64')) };
  return signCompactJws(header, Buffer.from(JSON.stringify(claims), 'utf8'), signer.privateKey);
}
