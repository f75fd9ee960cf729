import { expect } from 'chai';
import { createHmac, sign, type KeyObject } from 'node:crypto';
import { jwkThumbprint } from '../../../certs/jwk-thumbprint.js';
import type { JsonWebKeySet } from '../../../certs/jws.js';
import {
  createTokenVerifier,
  mintToken,
  type TokenVerification,
  type TokenVerifier,
} from '../../../certs/token.js';
import { NOW, makeKey, type KeyPair } from './test-pki.js';

const settings = { issuer: 'xborder-dev', audience: 'xborder', now: NOW };
const USCC = '91450100MA5K8Q7W3T';
const nowSeconds = Math.floor(NOW.getTime() / 1000);

const b64u = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
function craft(header: object, payload: object, signer: (input: Buffer) => Buffer): string {
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${input}.${signer(Buffer.from(input)).toString('base64url')}`;
}
const es256 =
  (key: KeyObject) =>
  (input: Buffer): Buffer =>
    sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
const code = (r: TokenVerification): string => (r.ok ? 'ok' : r.reason.code);

describe('certs/token', () => {
  let issuer: KeyPair;
  let jwks: JsonWebKeySet;
  let verify: TokenVerifier;
  let kid: string;
  const baseClaims = (over: object = {}): object => ({
    iss: 'xborder-dev',
    aud: 'xborder',
    sub: 'alice',
    role: 'reviewer',
    iat: nowSeconds,
    exp: nowSeconds + 600,
    ...over,
  });

  before(() => {
    issuer = makeKey('p256');
    kid = jwkThumbprint(issuer.privateKey);
    jwks = {
      keys: [
        {
          ...issuer.publicKey.export({ format: 'jwk' }),
          kid,
          alg: 'ES256',
          use: 'sig',
        } as JsonWebKeySet['keys'][number],
      ],
    };
    verify = createTokenVerifier({ jwks, issuer: 'xborder-dev', audience: 'xborder' });
  });

  it('mints an enterprise token that verifies to its principal', async () => {
    const token = await mintToken(
      { role: 'enterprise', exporter: USCC, sub: 'acme-erp', ttlSeconds: 3600 },
      issuer.privateKey,
      settings,
    );
    expect(await verify(token, NOW)).to.deep.equal({
      ok: true,
      principal: { sub: 'acme-erp', role: 'enterprise', exporter: USCC },
    });
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(header).to.deep.equal({ alg: 'ES256', typ: 'JWT', kid });
  });

  it('mints from a PEM key, and drops exporter for non-enterprise roles', async () => {
    const pem = issuer.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const role of ['reviewer', 'ops', 'admin'] as const) {
      const token = await mintToken(
        { role, exporter: USCC, sub: `${role}-1`, ttlSeconds: 60 },
        pem,
        settings,
      );
      expect(await verify(token, NOW)).to.deep.equal({ ok: true, principal: { sub: `${role}-1`, role } });
    }
  });

  it('refuses an expired token: TOKEN-EXPIRED', async () => {
    const token = await mintToken({ role: 'ops', sub: 'bob', ttlSeconds: 60 }, issuer.privateKey, settings);
    expect(code(await verify(token, new Date(NOW.getTime() + 61_000)))).to.equal('TOKEN-EXPIRED');
  });

  it('remembers an accepted token only within its nbf..exp window, and never a refused or altered one', async () => {
    const token = craft(
      { alg: 'ES256', typ: 'JWT', kid },
      baseClaims({ nbf: nowSeconds + 30, exp: nowSeconds + 90 }),
      es256(issuer.privateKey),
    );
    const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
    expect(code(await verify(token, at(0))), 'before nbf').to.equal('TOKEN-NOT-YET-VALID');
    expect(code(await verify(token, at(30))), 'from nbf').to.equal('ok');
    expect(code(await verify(token, at(60))), 'again, within the window').to.equal('ok');
    expect(code(await verify(token, at(29))), 'accepted once, still not before nbf').to.equal(
      'TOKEN-NOT-YET-VALID',
    );
    expect(code(await verify(token, at(90))), 'at exp').to.equal('TOKEN-EXPIRED');
    const [header, payload, signature = ''] = token.split('.');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'AB' : 'AA'}`;
    expect(code(await verify(`${header}.${payload}.${flipped}`, at(60))), 'another signature').to.equal(
      'TOKEN-SIGNATURE',
    );
  });

  it('refuses a token for another audience or issuer: TOKEN-AUDIENCE, TOKEN-ISSUER', async () => {
    const otherAud = await mintToken({ role: 'ops', sub: 'bob', ttlSeconds: 60 }, issuer.privateKey, {
      ...settings,
      audience: 'elsewhere',
    });
    expect(code(await verify(otherAud, NOW))).to.equal('TOKEN-AUDIENCE');
    const otherIss = await mintToken({ role: 'ops', sub: 'bob', ttlSeconds: 60 }, issuer.privateKey, {
      ...settings,
      issuer: 'someone',
    });
    expect(code(await verify(otherIss, NOW))).to.equal('TOKEN-ISSUER');
  });

  it('refuses HS256, even keyed with the public JWK: TOKEN-ALG', async () => {
    const hmac = (input: Buffer): Buffer =>
      createHmac('sha256', JSON.stringify(jwks.keys[0])).update(input).digest();
    expect(code(await verify(craft({ alg: 'HS256', kid }, baseClaims(), hmac), NOW))).to.equal('TOKEN-ALG');
  });

  it('refuses alg none: TOKEN-ALG', async () => {
    expect(code(await verify(`${b64u({ alg: 'none' })}.${b64u(baseClaims())}.`, NOW))).to.equal('TOKEN-ALG');
  });

  it('refuses a token without exp: TOKEN-CLAIMS', async () => {
    const noExp: Record<string, unknown> = { ...baseClaims() };
    delete noExp['exp'];
    expect(code(await verify(craft({ alg: 'ES256', kid }, noExp, es256(issuer.privateKey)), NOW))).to.equal(
      'TOKEN-CLAIMS',
    );
  });

  it('refuses an enterprise token without exporter, and an unknown role: TOKEN-CLAIMS', async () => {
    const noExporter = craft(
      { alg: 'ES256', kid },
      baseClaims({ role: 'enterprise' }),
      es256(issuer.privateKey),
    );
    expect(code(await verify(noExporter, NOW))).to.equal('TOKEN-CLAIMS');
    const root = craft({ alg: 'ES256', kid }, baseClaims({ role: 'root' }), es256(issuer.privateKey));
    expect(code(await verify(root, NOW))).to.equal('TOKEN-CLAIMS');
  });

  it('refuses a token signed by another key under the same kid: TOKEN-SIGNATURE; an unknown kid: TOKEN-KEY', async () => {
    const other = makeKey('p256');
    expect(
      code(await verify(craft({ alg: 'ES256', kid }, baseClaims(), es256(other.privateKey)), NOW)),
    ).to.equal('TOKEN-SIGNATURE');
    expect(
      code(await verify(craft({ alg: 'ES256', kid: 'nope' }, baseClaims(), es256(other.privateKey)), NOW)),
    ).to.equal('TOKEN-KEY');
  });

  it('refuses garbage: TOKEN-MALFORMED', async () => {
    expect(code(await verify('not.a.jwt', NOW))).to.equal('TOKEN-MALFORMED');
  });

  it('mintToken refuses an enterprise without exporter and a silly ttl', async () => {
    const attempts = [
      mintToken({ role: 'enterprise', sub: 'x', ttlSeconds: 60 }, issuer.privateKey, settings),
      mintToken({ role: 'ops', sub: 'x', ttlSeconds: 0 }, issuer.privateKey, settings),
    ];
    for (const attempt of attempts) {
      let error: unknown;
      try {
        await attempt;
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(TypeError);
    }
  });

  it('createTokenVerifier refuses a JWKS with a private or symmetric key', () => {
    const privateJwk = {
      ...issuer.privateKey.export({ format: 'jwk' }),
      kid,
    } as JsonWebKeySet['keys'][number];
    expect(() => createTokenVerifier({ jwks: { keys: [privateJwk] }, issuer: 'i', audience: 'a' })).to.throw(
      'private member "d"',
    );
    expect(() =>
      createTokenVerifier({ jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }, issuer: 'i', audience: 'a' }),
    ).to.throw('not an asymmetric');
  });
});
