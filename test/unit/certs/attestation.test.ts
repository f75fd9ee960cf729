import { expect } from 'chai';
import { createHmac, sign, type KeyObject } from 'node:crypto';
import {
  signAttestation,
  verifyAttestation,
  type AttestationContext,
  type AttestationVerification,
} from '../../../certs/attestation.js';
import { parseAttestationClaims, type AttestationClaims } from '../../../certs/attestation-claims.js';
import { sha256Hex } from '../../../certs/sha256-hex.js';
import { NOW, daysFromNow, issue, makeKey, type Issued } from './test-pki.js';

const PARTNER = 'demo-partner-sg';
const t = (d: Date): number => Math.floor(d.getTime() / 1000);

function claims(over: Partial<AttestationClaims> = {}): AttestationClaims {
  return {
    iss: PARTNER,
    sub: '91450100MA5K8Q7W3T',
    jti: 'att-2025-0001',
    iat: t(daysFromNow(-0.5)),
    nbf: t(daysFromNow(-0.5)),
    exp: t(daysFromNow(180)),
    recipient: { name: 'Demo Partner Pte. Ltd.', country: 'SG' },
    role: 'processor',
    purposes: ['cross-border e-commerce order fulfilment'],
    dataCategories: ['contact', 'order'],
    businessTypes: ['cross_border_ecommerce'],
    sensitive: false,
    retentionDays: 365,
    storageCountry: 'SG',
    onwardTransfer: 'prohibited',
    securityMeasures: ['encryption at rest', 'access logging'],
    breachNotificationHours: 72,
    dataSubjectRights: true,
    localLawStatement:
      'The recipient is subject to the Singapore PDPA 2012 and knows of no law preventing these undertakings.',
    acceptsCacSupervision: true,
    endpoints: ['sg-main'],
    ...over,
  };
}

const b64u = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Hand-made compact JWS, independent of the code under test. */
function craft(header: object, payload: unknown, signer: (input: Buffer) => Buffer): string {
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${input}.${signer(Buffer.from(input)).toString('base64url')}`;
}
const es256 =
  (key: KeyObject) =>
  (input: Buffer): Buffer =>
    sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
const codes = (r: AttestationVerification): string[] => (r.ok ? [] : r.reasons.map((x) => x.code));

describe('certs/attestation', () => {
  let root: Issued;
  let intermediate: Issued;
  let partner: Issued;
  let chainPem: string;
  let x5c: string[];
  let ctx: AttestationContext;

  before(() => {
    root = issue({ cn: 'Test Root', key: makeKey('rsa2048'), ca: {} });
    intermediate = issue({ cn: 'Test Issuing CA', key: makeKey('p256'), issuer: root, ca: { pathLen: 0 } });
    partner = issue({ cn: PARTNER, key: makeKey('p256'), issuer: intermediate });
    chainPem = partner.pem + intermediate.pem;
    x5c = [partner.der.toString('base64'), intermediate.der.toString('base64')];
    ctx = { anchors: [root.pem], revokedSha256: new Set(), now: NOW };
  });

  const valid = (over: Partial<AttestationClaims> = {}): Promise<string> =>
    signAttestation(claims(over), { key: partner.key.privateKey, chainPem });
  const header = (over: object = {}): object => ({
    alg: 'ES256',
    typ: 'xborder-attestation+jwt',
    x5c,
    ...over,
  });

  describe('accepts', () => {
    it('a valid ES256 attestation and returns typed claims, header and certificate fingerprints', async () => {
      const result = verifyAttestation(await valid(), ctx);
      expect(result.ok).to.equal(true);
      if (!result.ok) return;
      expect(result.claims).to.deep.equal(claims());
      expect(result.header).to.deep.equal({ alg: 'ES256', typ: 'xborder-attestation+jwt', kid: undefined });
      expect(result.leafSha256).to.equal(sha256Hex(partner.der));
      expect(result.chainSha256s).to.deep.equal([partner.der, intermediate.der, root.der].map(sha256Hex));
    });

    it('EdDSA (Ed25519) and PS256 (RSA) attestations', async () => {
      for (const kind of ['ed25519', 'rsa2048'] as const) {
        const leaf = issue({ cn: PARTNER, key: makeKey(kind), issuer: intermediate });
        const jws = await signAttestation(claims(), {
          key: leaf.key.privateKey,
          chainPem: leaf.pem + intermediate.pem,
        });
        const result = verifyAttestation(jws, ctx);
        expect(result.ok && result.header.alg).to.equal(kind === 'ed25519' ? 'EdDSA' : 'PS256');
      }
    });

    it('RS256 and a hand-made JWS with typ written as a full media type', async () => {
      const rsa = issue({ cn: PARTNER, key: makeKey('rsa2048'), issuer: intermediate });
      const jws = await signAttestation(claims(), {
        key: rsa.key.privateKey,
        chainPem: rsa.pem + intermediate.pem,
        rsaAlgorithm: 'RS256',
      });
      expect(verifyAttestation(jws, ctx).ok).to.equal(true);
      const crafted = craft(
        header({ typ: 'application/Xborder-Attestation+JWT' }),
        claims(),
        es256(partner.key.privateKey),
      );
      expect(verifyAttestation(crafted, ctx).ok).to.equal(true);
    });
  });

  describe('refuses as R-EVID-ATTESTATION-INVALID', () => {
    it('an altered payload', async () => {
      const [h, , s] = (await valid()).split('.');
      const forged = `${h}.${b64u(claims({ sensitive: true }))}.${s}`;
      const result = verifyAttestation(forged, ctx);
      expect(codes(result)).to.deep.equal(['R-EVID-ATTESTATION-INVALID']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('JWS-SIGNATURE');
    });

    it('an altered header', async () => {
      const [, p, s] = (await valid()).split('.');
      const forged = `${b64u(header({ kid: 'other' }))}.${p}.${s}`;
      expect(codes(verifyAttestation(forged, ctx))).to.deep.equal(['R-EVID-ATTESTATION-INVALID']);
    });

    it('alg none (an unsecured JWS)', () => {
      const unsecured = `${b64u(header({ alg: 'none' }))}.${b64u(claims())}.`;
      const result = verifyAttestation(unsecured, ctx);
      expect(codes(result)).to.deep.equal(['R-EVID-ATTESTATION-INVALID']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('JWS-ALG');
    });

    it('HS256 keyed with the certificate public key (key confusion)', () => {
      const publicPem = partner.key.publicKey.export({ type: 'spki', format: 'pem' });
      const hmac = (input: Buffer): Buffer => createHmac('sha256', publicPem).update(input).digest();
      const result = verifyAttestation(craft(header({ alg: 'HS256' }), claims(), hmac), ctx);
      expect(codes(result)).to.deep.equal(['R-EVID-ATTESTATION-INVALID']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('"HS256" is not one of');
    });

    it('an alg that does not fit the x5c key (EdDSA claimed over a P-256 key)', () => {
      const result = verifyAttestation(
        craft(header({ alg: 'EdDSA' }), claims(), es256(partner.key.privateKey)),
        ctx,
      );
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('JWS-KEY');
    });

    it('a missing x5c', () => {
      const result = verifyAttestation(
        craft({ alg: 'ES256', typ: 'xborder-attestation+jwt' }, claims(), es256(partner.key.privateKey)),
        ctx,
      );
      expect(codes(result)).to.deep.equal(['R-EVID-ATTESTATION-INVALID']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('x5c');
    });

    it('a key offered in jwk instead of x5c', () => {
      const jwk = partner.key.publicKey.export({ format: 'jwk' });
      const result = verifyAttestation(craft(header({ jwk }), claims(), es256(partner.key.privateKey)), ctx);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('JWS-KEY');
    });

    it('a wrong typ (a plain JWT, or another xborder document)', () => {
      for (const typ of ['JWT', 'xborder-release+jwt']) {
        const result = verifyAttestation(
          craft(header({ typ }), claims(), es256(partner.key.privateKey)),
          ctx,
        );
        expect(result.ok ? '' : result.reasons[0]?.message).to.contain('JWS-TYP');
      }
    });

    it('an unknown crit header parameter (RFC 7515 §4.1.11)', () => {
      const result = verifyAttestation(
        craft(header({ crit: ['exp-policy'], 'exp-policy': 1 }), claims(), es256(partner.key.privateKey)),
        ctx,
      );
      expect(codes(result)).to.deep.equal(['R-EVID-ATTESTATION-INVALID']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('JWS-CRIT');
    });

    it('claims that fail the api.md §5 schema, naming each field', () => {
      const bad: Record<string, unknown> = {
        ...claims(),
        onwardTransfer: 'anywhere',
        sub: 'not-a-uscc',
        retentionDays: 1.5,
      };
      delete bad['endpoints'];
      const result = verifyAttestation(craft(header(), bad, es256(partner.key.privateKey)), ctx);
      expect(codes(result)).to.deep.equal(['R-EVID-ATTESTATION-INVALID']);
      const message = result.ok ? '' : (result.reasons[0]?.message ?? '');
      for (const field of ['/onwardTransfer', '/sub', '/retentionDays', '/endpoints'])
        expect(message).to.contain(field);
    });

    it('text that is not a compact JWS', () => {
      for (const junk of ['', 'a.b', 'a.b.c.d', '!!.??.**', `${b64u([1])}.${b64u(claims())}.`]) {
        expect(codes(verifyAttestation(junk, ctx))).to.deep.equal(['R-EVID-ATTESTATION-INVALID']);
      }
    });
  });

  describe('refuses by validity', () => {
    it('an exp in the past: R-EVID-ATTESTATION-EXPIRED', async () => {
      const result = verifyAttestation(
        await valid({ iat: t(daysFromNow(-0.9)), nbf: t(daysFromNow(-0.9)), exp: t(daysFromNow(-0.1)) }),
        ctx,
      );
      expect(codes(result)).to.deep.equal(['R-EVID-ATTESTATION-EXPIRED']);
    });

    it('an nbf in the future: R-EVID-ATTESTATION-EXPIRED (not yet valid)', async () => {
      const result = verifyAttestation(await valid({ nbf: t(daysFromNow(2)) }), ctx);
      expect(codes(result)).to.deep.equal(['R-EVID-ATTESTATION-EXPIRED']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('not valid before');
    });

    it('a partner certificate that has expired: R-EVID-ATTESTATION-EXPIRED', async () => {
      const old = issue({
        cn: PARTNER,
        key: makeKey('p256'),
        issuer: intermediate,
        notBefore: daysFromNow(-100),
        notAfter: daysFromNow(-1),
      });
      const jws = await signAttestation(claims({ iat: t(daysFromNow(-0.9)), nbf: t(daysFromNow(-0.9)) }), {
        key: old.key.privateKey,
        chainPem: old.pem + intermediate.pem,
      });
      expect(codes(verifyAttestation(jws, ctx))).to.deep.equal(['R-EVID-ATTESTATION-EXPIRED']);
    });
  });

  describe('refuses by trust', () => {
    it('a partner certificate from an untrusted CA: R-EVID-ATTESTATION-UNTRUSTED', async () => {
      const rogue = issue({ cn: 'Rogue CA', key: makeKey('p256'), ca: {} });
      const leaf = issue({ cn: PARTNER, key: makeKey('p256'), issuer: rogue });
      const jws = await signAttestation(claims(), {
        key: leaf.key.privateKey,
        chainPem: leaf.pem + rogue.pem,
      });
      expect(codes(verifyAttestation(jws, ctx))).to.deep.equal(['R-EVID-ATTESTATION-UNTRUSTED']);
    });

    it('a certificate CN other than iss: R-EVID-ATTESTATION-UNTRUSTED', async () => {
      const other = issue({ cn: 'another-partner', key: makeKey('p256'), issuer: intermediate });
      const jws = await signAttestation(claims(), {
        key: other.key.privateKey,
        chainPem: other.pem + intermediate.pem,
      });
      const result = verifyAttestation(jws, ctx);
      expect(codes(result)).to.deep.equal(['R-EVID-ATTESTATION-UNTRUSTED']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('CHAIN-CN-MISMATCH');
    });

    it('a partner outside the name constraints of its CA: R-EVID-ATTESTATION-UNTRUSTED (CHAIN-NAME-NOT-PERMITTED); inside: accepted', async () => {
      const signedUnder = async (permittedOrg: string): Promise<AttestationVerification> => {
        const ca = issue({
          cn: 'Constrained Partner CA',
          key: makeKey('p256'),
          issuer: root,
          ca: { pathLen: 0 },
          nameConstraints: { permitted: [{ dirName: { o: permittedOrg } }] },
        });
        const leaf = issue({ cn: PARTNER, key: makeKey('p256'), issuer: ca }); // subject O=xborder tests
        const jws = await signAttestation(claims(), {
          key: leaf.key.privateKey,
          chainPem: leaf.pem + ca.pem,
        });
        return verifyAttestation(jws, ctx);
      };
      const outside = await signedUnder('Another Org');
      expect(codes(outside)).to.deep.equal(['R-EVID-ATTESTATION-UNTRUSTED']);
      expect(outside.ok ? '' : outside.reasons[0]?.message).to.contain('CHAIN-NAME-NOT-PERMITTED');
      expect((await signedUnder('xborder tests')).ok).to.equal(true);
    });

    it('a revoked partner certificate: R-EVID-ATTESTATION-REVOKED', async () => {
      const result = verifyAttestation(await valid(), {
        ...ctx,
        revokedSha256: new Set([sha256Hex(partner.der)]),
      });
      expect(codes(result)).to.deep.equal(['R-EVID-ATTESTATION-REVOKED']);
    });
  });

  describe('parseAttestationClaims', () => {
    it('ignores unknown claims and keeps only the typed ones', () => {
      const parsed = parseAttestationClaims({ ...claims(), extra: 'x' });
      expect(parsed.ok && Object.keys(parsed.claims)).to.not.include('extra');
    });

    it('refuses nbf or iat at or after exp', () => {
      const parsed = parseAttestationClaims(claims({ nbf: t(daysFromNow(200)) }));
      expect(parsed.ok ? [] : parsed.issues.map((i) => i.path)).to.deep.equal(['/nbf']);
    });

    it('signAttestation refuses to sign claims that would not verify', async () => {
      let error: unknown;
      try {
        await signAttestation(claims({ storageCountry: 'sg' }), { key: partner.key.privateKey, chainPem });
      } catch (err) {
        error = err;
      }
      expect(String(error)).to.contain('/storageCountry');
    });
  });
});
