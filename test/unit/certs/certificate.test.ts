import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { parseCertificate } from '../../../certs/certificate.js';
import { certificateSummary } from '../../../certs/certificate-summary.js';
import { derToPem, parsePem, pemToDer } from '../../../certs/pem.js';
import { sha256Hex } from '../../../certs/sha256-hex.js';
import { issue, makeKey, type Issued } from './test-pki.js';

describe('certs/certificate, pem, sha256-hex, certificate-summary', () => {
  let root: Issued;
  let leaf: Issued;

  before(() => {
    root = issue({ cn: 'Test Root', key: makeKey('p384'), ca: { pathLen: 1 } });
    leaf = issue({
      cn: 'partner-a',
      key: makeKey('ed25519'),
      issuer: root,
      notAfter: new Date('2051-01-01T00:00:00Z'),
    });
  });

  describe('parseCertificate', () => {
    it('reads names, validity, key, constraints and key identifiers, agreeing with node:crypto', () => {
      const parsed = parseCertificate(leaf.der);
      if (!parsed.ok) throw new Error(parsed.message);
      const c = parsed.certificate;
      const x509 = new X509Certificate(leaf.der);
      expect(c.subjectCn).to.equal('partner-a');
      expect(c.issuerCn).to.equal('Test Root');
      expect(BigInt(`0x${c.serialHex}`)).to.equal(BigInt(`0x${x509.serialNumber}`));
      expect(c.notAfter.toISOString()).to.equal('2051-01-01T00:00:00.000Z'); // GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)
      expect(c.key).to.deep.equal({ kind: 'ed25519' });
      expect(c.signatureAlgorithm).to.include({ name: 'ecdsa-with-SHA256', hash: 'sha256' });
      expect(c.basicConstraints).to.deep.equal({ ca: false, pathLen: undefined });
      const ca = parseCertificate(root.der);
      expect(ca.ok && ca.certificate.basicConstraints).to.deep.equal({ ca: true, pathLen: 1 });
      expect(ca.ok && ca.certificate.subjectKeyId).to.equal(c.authorityKeyId);
      expect(c.sha256).to.equal(x509.fingerprint256.replace(/:/g, '').toLowerCase());
    });

    it('refuses a certificate that repeats an extension (RFC 5280 §4.2)', () => {
      const twice = issue({
        cn: 'x',
        key: makeKey('p256'),
        issuer: root,
        extraExtensions: [{ oid: '2.5.29.15', critical: true, value: Buffer.from('03020780', 'hex') }],
      });
      const parsed = parseCertificate(twice.der);
      expect(parsed.ok ? '' : parsed.message).to.contain('appears twice');
    });

    it('refuses trailing bytes, truncation and non-certificates', () => {
      for (const bad of [
        Buffer.concat([leaf.der, Buffer.from([0])]),
        leaf.der.subarray(0, 100),
        Buffer.from('3000', 'hex'),
        Buffer.alloc(0),
      ]) {
        expect(parseCertificate(bad).ok).to.equal(false);
      }
    });
  });

  describe('pem and sha256Hex', () => {
    it('round-trips DER through PEM with 64-character lines, keeping every block in order', () => {
      const pem = derToPem(leaf.der) + derToPem(root.der);
      expect(pem.split('\n').every((line) => line.length <= 64)).to.equal(true);
      expect(parsePem(pem)).to.deep.equal([leaf.der, root.der]);
      expect(pemToDer(pem)).to.deep.equal(leaf.der);
      expect(parsePem(pem, 'PRIVATE KEY')).to.deep.equal([]);
    });

    it('refuses a block whose body is not base64', () => {
      expect(parsePem('-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n')).to.equal(
        undefined,
      );
      expect(pemToDer('no pem here')).to.equal(undefined);
    });

    it('hashes DER as lowercase hex SHA-256 (FIPS 180-4 test vector "abc")', () => {
      expect(sha256Hex(Buffer.from('abc'))).to.equal(
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      );
    });
  });

  describe('certificateSummary', () => {
    it('summarises the first certificate of a PEM for the console', () => {
      const summary = certificateSummary(derToPem(root.der));
      expect(summary).to.include({
        subjectCn: 'Test Root',
        issuerCn: 'Test Root',
        key: 'EC P-384',
        signatureAlgorithm: 'ecdsa-with-SHA256',
        isCa: true,
      });
      expect(summary?.sha256).to.equal(sha256Hex(root.der));
      expect(summary?.notBefore).to.match(/^\d{4}-\d{2}-\d{2}T/);
    });

    it('answers undefined for text that is not a certificate', () => {
      expect(certificateSummary('hello')).to.equal(undefined);
    });
  });
});
