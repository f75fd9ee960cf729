// certs/jwk-thumbprint: RFC 7638 JWK thumbprint of a public key — the `kid` of the development token issuer,
// computed the same way when the JWKS is written and when a token is minted. Pure.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace; SHA-256; base64url. */
const requiredMembers: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

export function jwkThumbprint(key: KeyObject): string {
  const jwk = createPublicKey(key).export({ format: 'jwk' }) as Record<string, unknown>;
  const members = requiredMembers[String(jwk['kty'])];
  if (members === undefined) throw new TypeError(`no RFC 7638 thumbprint for kty ${String(jwk['kty'])}`);
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}
