import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSigner } from '../../../certs/load-signer.js';
import {
  signReceipt,
  verifyReceipt,
  type ReceiptClaims,
  type ReceiptContext,
} from '../../../certs/receipt.js';
import { signRelease, verifyRelease, type ReleaseClaims } from '../../../certs/release.js';
import { sha256Hex } from '../../../certs/sha256-hex.js';
import { createSigner, type Signer } from '../../../certs/signer.js';
import { signX5cJws } from '../../../certs/x5c-jws.js';
import { parseCertificate } from '../../../certs/certificate.js';
import { buildCrl } from '../../../certs/crl-builder.js';
import { parseTrustFiles } from '../../../certs/trust-files.js';
import { NOW, daysFromNow, issue, makeKey, type Issued } from './test-pki.js';

const payloadSha = sha256Hex(Buffer.from('payload bytes'));
const release: ReleaseClaims = {
  transferId: '01JXR5W3Y2B7Q8N4K6M9P0T1VA',
  exporterId: '91450100MA5K8Q7W3T',
  partnerId: 'demo-partner-sg',
  endpointId: 'sg-main',
  sha256: payloadSha,
  bytes: 13,
  tier: 'standard_contract',
  filingId: 'SCC-2025-0042',
  policyVersion: '2025.06.1',
  iat: Math.floor(NOW.getTime() / 1000),
};
const receipt: ReceiptClaims = {
  transferId: release.transferId,
  sha256: payloadSha,
  bytes: 13,
  receivedAt: '2025-06-01T00:00:01.000Z',
};

const tamper = (jws: string, edit: (claims: Record<string, unknown>) => void): string => {
  const [h, p, s] = jws.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  edit(claims);
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
};

describe('certs/release and certs/receipt', () => {
  let root: Issued;
  let intermediate: Issued;
  let gateway: Signer;
  let receiver: Signer;
  let receiverCert: Issued;

  before(() => {
    root = issue({ cn: 'Test Root', key: makeKey('rsa2048'), ca: {} });
    intermediate = issue({ cn: 'Test Issuing CA', key: makeKey('p256'), issuer: root, ca: { pathLen: 0 } });
    const gatewayCert = issue({ cn: 'xborder-gateway', key: makeKey('ed25519'), issuer: intermediate });
    receiverCert = issue({ cn: 'xborder-receiver', key: makeKey('p256'), issuer: intermediate });
    gateway = createSigner(gatewayCert.key.privateKey, gatewayCert.pem + intermediate.pem);
    receiver = createSigner(receiverCert.key.privateKey, receiverCert.pem + intermediate.pem);
  });

  describe('release manifest (typ xborder-release+jwt)', () => {
    it('round-trips: the gateway signs with Ed25519, the receiver verifies to its anchor', async () => {
      const result = verifyRelease(await signRelease(release, gateway), {
        anchors: [root.pem],
        now: NOW,
        expectedSignerCn: 'xborder-gateway',
      });
      expect(result.ok).to.equal(true);
      if (!result.ok) return;
      expect(result.claims).to.deep.equal(release);
      expect(result.alg).to.equal('EdDSA');
      expect(result.signerCn).to.equal('xborder-gateway');
      expect(result.chainSha256s).to.have.length(3);
    });

    it('refuses a tampered digest: JWS-SIGNATURE', async () => {
      const forged = tamper(
        await signRelease(release, gateway),
        (c) => (c['sha256'] = sha256Hex(Buffer.from('other'))),
      );
      const result = verifyRelease(forged, { anchors: [root.pem], now: NOW });
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).to.deep.equal(['JWS-SIGNATURE']);
    });

    it('refuses a signer outside the anchors: CHAIN-UNTRUSTED', async () => {
      const otherRoot = issue({ cn: 'Other Root', key: makeKey('p256'), ca: {} });
      const result = verifyRelease(await signRelease(release, gateway), {
        anchors: [otherRoot.pem],
        now: NOW,
      });
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).to.deep.equal(['CHAIN-UNTRUSTED']);
    });

    it('refuses a release signed by another certificate of the same PKI when the signer CN is pinned', async () => {
      const result = verifyRelease(await signRelease(release, receiver), {
        anchors: [root.pem],
        now: NOW,
        expectedSignerCn: 'xborder-gateway',
      });
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).to.deep.equal(['CHAIN-CN-MISMATCH']);
    });

    it('refuses a receipt offered as a release: JWS-TYP', async () => {
      const result = verifyRelease(await signReceipt(receipt, receiver), { anchors: [root.pem], now: NOW });
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).to.deep.equal(['JWS-TYP']);
    });

    it('refuses a release of a prohibited transfer (and signRelease will not sign one)', async () => {
      const forged = await signX5cJws('xborder-release+jwt', { ...release, tier: 'prohibited' }, gateway);
      const result = verifyRelease(forged, { anchors: [root.pem], now: NOW });
      expect(result.ok ? [] : result.reasons.map((r) => r.message)).to.deep.equal([
        'a prohibited transfer is never released',
      ]);
      let error: unknown;
      try {
        await signRelease({ ...release, tier: 'prohibited' }, gateway);
      } catch (err) {
        error = err;
      }
      expect(String(error)).to.contain('never released');
    });

    it('refuses a release issued in the future: CLAIMS-INVALID', async () => {
      const future = await signRelease({ ...release, iat: release.iat + 3600 }, gateway);
      const result = verifyRelease(future, { anchors: [root.pem], now: NOW });
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).to.deep.equal(['CLAIMS-INVALID']);
    });

    it('refuses a revoked gateway certificate: CHAIN-REVOKED', async () => {
      const result = verifyRelease(await signRelease(release, gateway), {
        anchors: [root.pem],
        now: NOW,
        revokedSha256: new Set([gateway.leafSha256]),
      });
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).to.deep.equal(['CHAIN-REVOKED']);
    });
  });

  describe('receipt (typ xborder-receipt+jwt)', () => {
    const ctx = (over: Partial<ReceiptContext> = {}): ReceiptContext => ({
      anchors: [root.pem],
      now: NOW,
      expected: { transferId: release.transferId, sha256: payloadSha, bytes: 13 },
      expectedSignerCn: 'xborder-receiver',
      ...over,
    });

    it('round-trips: the receiver signs with ES256, the gateway verifies against what it sent', async () => {
      const result = verifyReceipt(
        await signReceipt(receipt, receiver),
        ctx({ expectedSignerCn: 'xborder-receiver' }),
      );
      expect(result.ok && result.claims).to.deep.equal(receipt);
      expect(result.ok && result.alg).to.equal('ES256');
    });

    it("refuses a receipt signed by another party's valid certificate under the same anchors: CHAIN-CN-MISMATCH", async () => {
      const other = issue({ cn: 'other-partner', key: makeKey('p256'), issuer: intermediate });
      const otherSigner = createSigner(other.key.privateKey, other.pem + intermediate.pem);
      const result = verifyReceipt(await signReceipt(receipt, otherSigner), ctx());
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).to.deep.equal(['CHAIN-CN-MISMATCH']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain(
        "'other-partner', expected 'xborder-receiver'",
      );
    });

    it('refuses a receipt whose signer does not chain to the anchors, whatever its CN: CHAIN-UNTRUSTED', async () => {
      const strayRoot = issue({ cn: 'Stray Root', key: makeKey('p256'), ca: {} });
      const stray = issue({ cn: 'xborder-receiver', key: makeKey('p256'), issuer: strayRoot });
      const result = verifyReceipt(
        await signReceipt(receipt, createSigner(stray.key.privateKey, stray.pem)),
        ctx(),
      );
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).to.include('CHAIN-UNTRUSTED');
    });

    it('refuses a release manifest presented as a receipt: JWS-TYP', async () => {
      const result = verifyReceipt(
        await signRelease(release, gateway),
        ctx({ expectedSignerCn: 'xborder-gateway' }),
      );
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).to.deep.equal(['JWS-TYP']);
    });

    it('refuses a receipt for other bytes: CLAIMS-MISMATCH on each differing field', async () => {
      const jws = await signReceipt({ ...receipt, sha256: sha256Hex(Buffer.from('x')), bytes: 1 }, receiver);
      const result = verifyReceipt(jws, ctx());
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).to.deep.equal([
        'CLAIMS-MISMATCH',
        'CLAIMS-MISMATCH',
      ]);
      expect(result.ok ? '' : result.reasons.map((r) => r.message).join(' ')).to.contain(
        'bytes is 1, expected 13',
      );
    });

    it('refuses a receipt for another transfer: CLAIMS-MISMATCH', async () => {
      const result = verifyReceipt(
        await signReceipt(receipt, receiver),
        ctx({ expected: { transferId: '01JXR5W3Y2B7Q8N4K6M9P0T1VB', sha256: payloadSha, bytes: 13 } }),
      );
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).to.deep.equal(['CLAIMS-MISMATCH']);
    });

    it('refuses a tampered receipt: JWS-SIGNATURE', async () => {
      const forged = tamper(
        await signReceipt(receipt, receiver),
        (c) => (c['receivedAt'] = '2025-06-01T00:00:02.000Z'),
      );
      const result = verifyReceipt(forged, ctx());
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).to.deep.equal(['JWS-SIGNATURE']);
    });

    it('refuses a receiver certificate listed on a trust-dir CRL, and a stale CRL: CHAIN-REVOKED, CHAIN-CRL-STALE', async () => {
      const leaf = parseCertificate(receiverCert.der);
      if (!leaf.ok) throw new Error(leaf.message);
      const crl = (serials: string[], nextUpdate: Date) =>
        parseTrustFiles([
          { name: 'root.crt', bytes: Buffer.from(root.pem) },
          {
            name: 'issuing.crl',
            bytes: buildCrl({
              issuer: { certificate: intermediate.der, privateKey: intermediate.key.privateKey },
              thisUpdate: daysFromNow(-2),
              nextUpdate,
              revoked: serials.map((serialHex) => ({ serialHex, revokedAt: daysFromNow(-1) })),
            }),
          },
        ]);
      const jws = await signReceipt(receipt, receiver);
      const codesWith = (trust: ReturnType<typeof parseTrustFiles>) => {
        const result = verifyReceipt(
          jws,
          ctx({ anchors: trust.anchors, revocationSources: trust.revocationSources }),
        );
        return result.ok ? [] : result.reasons.map((r) => r.code);
      };
      expect(codesWith(crl([leaf.certificate.serialHex], daysFromNow(5)))).to.deep.equal(['CHAIN-REVOKED']);
      expect(codesWith(crl([], daysFromNow(-1)))).to.deep.equal(['CHAIN-CRL-STALE']);
      expect(codesWith(crl([], daysFromNow(5)))).to.deep.equal([]);
    });

    it('refuses well-signed claims of the wrong shape: CLAIMS-INVALID', async () => {
      const bad = await signX5cJws('xborder-receipt+jwt', { ...receipt, receivedAt: 'yesterday' }, receiver);
      const result = verifyReceipt(bad, ctx());
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).to.deep.equal(['CLAIMS-INVALID']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('/receivedAt');
    });
  });

  describe('signer', () => {
    let dir = '';
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'xborder-signer-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('loadSigner reads a PKCS#8 key and a chain PEM and picks the algorithm from the key', async () => {
      const leaf = issue({ cn: 'xborder-gateway', key: makeKey('ed25519'), issuer: intermediate });
      writeFileSync(path.join(dir, 'k.pem'), leaf.key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      writeFileSync(path.join(dir, 'chain.pem'), leaf.pem + intermediate.pem);
      const signer = await loadSigner(path.join(dir, 'k.pem'), path.join(dir, 'chain.pem'));
      expect(signer.alg).to.equal('EdDSA');
      expect(signer.chain).to.have.length(2);
      expect(signer.leafSha256).to.equal(sha256Hex(leaf.der));
      expect(signer.subjectCn).to.equal('xborder-gateway');
    });

    it('refuses a key that does not belong to the certificate, naming both files', async () => {
      const leaf = issue({ cn: 'xborder-gateway', key: makeKey('p256'), issuer: intermediate });
      writeFileSync(
        path.join(dir, 'other.pem'),
        makeKey('p256').privateKey.export({ type: 'pkcs8', format: 'pem' }),
      );
      writeFileSync(path.join(dir, 'leaf.pem'), leaf.pem);
      let error: unknown;
      try {
        await loadSigner(path.join(dir, 'other.pem'), path.join(dir, 'leaf.pem'));
      } catch (err) {
        error = err;
      }
      expect(String(error)).to.contain('does not belong').and.contain('other.pem');
    });

    it('refuses a key no accepted JWS algorithm fits (P-384)', () => {
      const leaf = issue({ cn: 'x', key: makeKey('p384'), issuer: intermediate });
      expect(() => createSigner(leaf.key.privateKey, leaf.pem)).to.throw('no accepted JWS algorithm');
    });
  });
});
