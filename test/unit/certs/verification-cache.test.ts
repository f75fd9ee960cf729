// What the certificate, signature and document caches may and may not remember: parses and signatures are
// kept by the bytes' digests; validity, revocation, CRLs and the anchors are judged again on every call.
import { expect } from 'chai';
import {
  signAttestation,
  verifyAttestation,
  type AttestationVerification,
} from '../../../certs/attestation.js';
import type { AttestationClaims } from '../../../certs/attestation-claims.js';
import { parseCertificate } from '../../../certs/certificate.js';
import { verifyChain, type ChainInput, type ChainResult } from '../../../certs/chain.js';
import { buildCrl } from '../../../certs/crl-builder.js';
import { createCrlRevocationSource } from '../../../certs/crl-revocation.js';
import { sha256Hex } from '../../../certs/sha256-hex.js';
import { verifyX5cJws } from '../../../certs/x5c-jws.js';
import { NOW, daysFromNow, issue, makeKey, type Issued } from './test-pki.js';
import { attestationClaims } from '../../support/attestation-claims.js';

const codes = (r: ChainResult | AttestationVerification): string[] =>
  r.ok ? [] : r.reasons.map((x) => x.code);
const PARTNER = 'partner-cache';
const t = (d: Date): number => Math.floor(d.getTime() / 1000);

/** The same certificate with the last octet of its signature changed: parseable, but not signed by its issuer. */
function tampered(der: Buffer): Buffer {
  const copy = Buffer.from(der);
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0x01;
  return copy;
}

describe('certs verification caches', () => {
  let root: Issued;
  let intermediate: Issued;
  let leaf: Issued;
  const chain = (over: Partial<ChainInput> = {}): ChainInput => ({
    leaf: leaf.der,
    intermediates: [intermediate.der],
    anchors: [root.pem],
    now: NOW,
    revokedSha256: new Set(),
    ...over,
  });
  const crlBy = (ca: Issued, revoked: Issued[], nextUpdate: Date): Buffer =>
    buildCrl({
      issuer: { certificate: ca.der, privateKey: ca.key.privateKey },
      thisUpdate: daysFromNow(-1),
      nextUpdate,
      revoked: revoked.map((c) => {
        const parsed = parseCertificate(c.der);
        if (!parsed.ok) throw new Error(parsed.message);
        return { serialHex: parsed.certificate.serialHex, revokedAt: daysFromNow(-1) };
      }),
    });
  const crlSource = (crl: Buffer) => [createCrlRevocationSource([{ label: 'ca.crl', der: crl }], [root.der])];

  before(() => {
    root = issue({ cn: 'Cache Root', key: makeKey('rsa2048'), ca: {} });
    intermediate = issue({ cn: 'Cache Issuing CA', key: makeKey('p256'), issuer: root, ca: { pathLen: 0 } });
    leaf = issue({ cn: PARTNER, key: makeKey('p256'), issuer: intermediate, notAfter: daysFromNow(30) });
  });

  describe('parseCertificate', () => {
    it('answers equal bytes with the one parsed certificate, frozen', () => {
      const first = parseCertificate(leaf.der);
      const second = parseCertificate(Buffer.from(leaf.der));
      expect(first.ok && second.ok && first.certificate === second.certificate).to.equal(true);
      expect(first.ok && Object.isFrozen(first.certificate)).to.equal(true);
    });

    it('keeps its own copy: a caller reusing its buffer does not change the certificate', () => {
      const bytes = Buffer.from(intermediate.der);
      const parsed = parseCertificate(bytes);
      bytes.fill(0);
      expect(parsed.ok && parsed.certificate.sha256).to.equal(sha256Hex(intermediate.der));
      const again = parseCertificate(intermediate.der);
      expect(again.ok && again.certificate.der.equals(intermediate.der)).to.equal(true);
    });

    it('parses other bytes as another certificate, and still refuses bytes that are not one', () => {
      const good = parseCertificate(leaf.der);
      const other = parseCertificate(tampered(leaf.der));
      expect(good.ok && other.ok && good.certificate !== other.certificate).to.equal(true);
      expect(parseCertificate(leaf.der.subarray(0, 100)).ok).to.equal(false);
    });
  });

  describe('verifyChain after a chain was accepted', () => {
    beforeEach(() => {
      expect(verifyChain(chain()).ok).to.equal(true);
    });

    it('accepts it again', () => {
      expect(verifyChain(chain({ expectedCn: PARTNER })).ok).to.equal(true);
    });

    it('refuses a leaf whose signature was changed, though names and key are the same: CHAIN-UNTRUSTED', () => {
      expect(codes(verifyChain(chain({ leaf: tampered(leaf.der) })))).to.deep.equal(['CHAIN-UNTRUSTED']);
    });

    it('refuses it once its anchor leaves the trust store, or another anchor replaces it', () => {
      expect(codes(verifyChain(chain({ anchors: [] })))).to.deep.equal(['CHAIN-UNTRUSTED']);
      const other = issue({ cn: 'Cache Root', key: makeKey('p256'), ca: {} });
      expect(codes(verifyChain(chain({ anchors: [other.pem] })))).to.deep.equal(['CHAIN-UNTRUSTED']);
    });

    it('refuses it at once when the leaf or the intermediate is on the revocation list: CHAIN-REVOKED', () => {
      expect(codes(verifyChain(chain({ revokedSha256: new Set([sha256Hex(leaf.der)]) })))).to.deep.equal([
        'CHAIN-REVOKED',
      ]);
      const revokedCa = new Set([sha256Hex(intermediate.der)]);
      expect(codes(verifyChain(chain({ revokedSha256: revokedCa })))).to.deep.equal(['CHAIN-REVOKED']);
    });

    it('follows the CRLs of the call: listed → CHAIN-REVOKED, stale → CHAIN-CRL-STALE, fresh and empty → accepted', () => {
      const listed = crlBy(intermediate, [leaf], daysFromNow(6));
      expect(codes(verifyChain(chain({ revocationSources: crlSource(listed) })))).to.deep.equal([
        'CHAIN-REVOKED',
      ]);
      const stale = crlBy(intermediate, [], daysFromNow(-0.5));
      expect(codes(verifyChain(chain({ revocationSources: crlSource(stale) })))).to.deep.equal([
        'CHAIN-CRL-STALE',
      ]);
      const fresh = crlBy(intermediate, [], daysFromNow(6));
      expect(verifyChain(chain({ revocationSources: crlSource(fresh) })).ok).to.equal(true);
    });

    it('judges validity at the time of the call: CHAIN-EXPIRED once the leaf has expired', () => {
      expect(codes(verifyChain(chain({ now: daysFromNow(31) })))).to.deep.equal(['CHAIN-EXPIRED']);
      expect(verifyChain(chain({ now: daysFromNow(29) })).ok).to.equal(true);
    });
  });

  describe('signed documents', () => {
    const claims = (): AttestationClaims =>
      attestationClaims(
        {
          iss: PARTNER,
          sub: '91450100MA5K8Q7W3T',
          jti: 'att-cache-1',
          iat: t(daysFromNow(-0.5)),
          nbf: t(daysFromNow(-0.5)),
          exp: t(daysFromNow(20)),
          endpoints: ['sg-main'],
        },
        { purposes: ['order fulfilment'], dataCategories: ['order'] },
      );
    let jws: string;
    const ctx = (over: Partial<Parameters<typeof verifyAttestation>[1]> = {}) => ({
      anchors: [root.pem],
      revokedSha256: new Set<string>(),
      now: NOW,
      ...over,
    });

    before(async () => {
      jws = await signAttestation(claims(), {
        key: leaf.key.privateKey,
        chainPem: leaf.pem + intermediate.pem,
      });
    });

    it('verifyX5cJws answers the same document with the same verified result, its payload frozen', () => {
      const first = verifyX5cJws(jws, 'xborder-attestation+jwt');
      const second = verifyX5cJws(jws, 'xborder-attestation+jwt');
      expect(first.ok && second.ok).to.equal(true);
      expect(second).to.equal(first);
      if (!first.ok) return;
      expect(Object.isFrozen(first.jws.payload)).to.equal(true);
      expect(() => {
        (first.jws.payload as Record<string, unknown>)['iss'] = 'someone-else';
      }).to.throw(TypeError);
    });

    it('verifyX5cJws still checks what it was not asked before: another typ, a changed signature', () => {
      expect(verifyX5cJws(jws, 'xborder-attestation+jwt').ok).to.equal(true);
      const other = verifyX5cJws(jws, 'xborder-receipt+jwt');
      expect(other.ok ? '' : other.reason.code).to.equal('JWS-TYP');
      const last = jws.at(-1) === 'A' ? 'B' : 'A';
      const forged = verifyX5cJws(`${jws.slice(0, -1)}${last}`, 'xborder-attestation+jwt');
      expect(forged.ok ? '' : forged.reason.code).to.be.oneOf(['JWS-SIGNATURE', 'JWS-MALFORMED']);
    });

    it('an attestation verified once is refused at once when revoked, expired or its anchor removed, and accepted again', () => {
      expect(verifyAttestation(jws, ctx()).ok).to.equal(true);
      expect(
        codes(verifyAttestation(jws, ctx({ revokedSha256: new Set([sha256Hex(leaf.der)]) }))),
      ).to.deep.equal(['R-EVID-ATTESTATION-REVOKED']);
      const crl = crlBy(intermediate, [leaf], daysFromNow(6));
      expect(codes(verifyAttestation(jws, ctx({ revocationSources: crlSource(crl) })))).to.deep.equal([
        'R-EVID-ATTESTATION-REVOKED',
      ]);
      expect(codes(verifyAttestation(jws, ctx({ now: daysFromNow(21) })))).to.include(
        'R-EVID-ATTESTATION-EXPIRED',
      );
      expect(codes(verifyAttestation(jws, ctx({ anchors: [] })))).to.deep.equal([
        'R-EVID-ATTESTATION-UNTRUSTED',
      ]);
      expect(verifyAttestation(jws, ctx()).ok).to.equal(true);
    });
  });
});
