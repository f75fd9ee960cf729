// transfers/trust-store on a real directory: anchors and CRLs are read together, a CRL rewritten in place is
// picked up, and an unreadable directory yields no anchors (fail closed).
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyChain } from '../../../certs/chain.js';
import { parseCertificate } from '../../../certs/certificate.js';
import { buildCrl } from '../../../certs/crl-builder.js';
import { createTrustStore } from '../../../transfers/trust-store.js';
import { NOW, daysFromNow, issue, makeKey, type Issued } from '../../unit/certs/test-pki.js';

describe('transfers/trust-store (real directory)', () => {
  let dir: string;
  let root: Issued;
  let intermediate: Issued;
  let leaf: Issued;
  const crl = (revoked: Issued[]) =>
    buildCrl({
      issuer: { certificate: intermediate.der, privateKey: intermediate.key.privateKey },
      thisUpdate: daysFromNow(-1),
      nextUpdate: daysFromNow(6),
      revoked: revoked.map((c) => {
        const parsed = parseCertificate(c.der);
        if (!parsed.ok) throw new Error(parsed.message);
        return { serialHex: parsed.certificate.serialHex, revokedAt: daysFromNow(-1) };
      }),
    });

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-trust-'));
    root = issue({ cn: 'Test Root', key: makeKey('p256'), ca: {} });
    intermediate = issue({ cn: 'Test Issuing CA', key: makeKey('p256'), issuer: root, ca: { pathLen: 0 } });
    leaf = issue({ cn: 'partner-a', key: makeKey('p256'), issuer: intermediate });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads anchors and CRLs, and sees a CRL rewritten in place', async () => {
    writeFileSync(path.join(dir, 'root.crt'), root.pem);
    writeFileSync(path.join(dir, 'README.txt'), 'not trust material');
    const crlFile = path.join(dir, 'issuing.crl');
    writeFileSync(crlFile, crl([]));
    const store = createTrustStore(dir, { recheckMs: 0 });
    const check = async () => {
      const { anchors, revocationSources } = await store.snapshot();
      const result = verifyChain({
        leaf: leaf.der,
        intermediates: [intermediate.der],
        anchors,
        now: NOW,
        revokedSha256: new Set(),
        revocationSources,
      });
      return result.ok ? [] : result.reasons.map((r) => r.code);
    };
    expect(await store.anchors()).to.deep.equal([root.pem.trim()]);
    expect((await store.snapshot()).crlCount).to.equal(1);
    expect(await check()).to.deep.equal([]);
    writeFileSync(crlFile, crl([leaf]));
    // Same name, possibly the same size: the file's mtime is part of what is compared.
    utimesSync(crlFile, new Date(), new Date(Date.now() + 2000));
    expect(await check()).to.deep.equal(['CHAIN-REVOKED']);
  });

  it('answers no anchors and no CRLs for a directory that cannot be read', async () => {
    const store = createTrustStore(path.join(dir, 'missing'), { recheckMs: 0 });
    expect(await store.snapshot()).to.deep.equal({ anchors: [], crlCount: 0, revocationSources: [] });
  });
});
