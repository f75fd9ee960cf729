import { expect } from 'chai';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyChain, type ChainInput, type ChainResult } from '../../../certs/chain.js';
import type { RevocationSource } from '../../../certs/revocation.js';
import { sha256Hex } from '../../../certs/sha256-hex.js';
import { NOW, daysFromNow, issue, makeKey, type Issued, type KeyPair } from './test-pki.js';

const codes = (r: ChainResult): string[] => (r.ok ? [] : r.reasons.map((x) => x.code));

describe('certs/chain verifyChain', () => {
  let rootKey: KeyPair;
  let caKey: KeyPair;
  let leafKey: KeyPair;
  let root: Issued;
  let intermediate: Issued;
  let leaf: Issued;
  const chain = (over: Partial<ChainInput> = {}): ChainInput => ({
    leaf: leaf.der,
    intermediates: [intermediate.der],
    anchors: [root.der],
    now: NOW,
    revokedSha256: new Set(),
    ...over,
  });

  before(() => {
    rootKey = makeKey('rsa2048');
    caKey = makeKey('p256');
    leafKey = makeKey('p256');
    root = issue({ cn: 'Test Root', key: rootKey, ca: {} });
    intermediate = issue({ cn: 'Test Issuing CA', key: caKey, issuer: root, ca: { pathLen: 0 } });
    leaf = issue({ cn: 'partner-a', key: leafKey, issuer: intermediate });
  });

  describe('accepts', () => {
    it('a valid depth-3 chain (leaf, intermediate, root) and returns the path leaf first', () => {
      const result = verifyChain(chain({ expectedCn: 'partner-a', at: daysFromNow(-0.5) }));
      expect(result.ok).to.equal(true);
      if (!result.ok) return;
      expect(result.path.map((c) => c.subjectCn)).to.deep.equal([
        'partner-a',
        'Test Issuing CA',
        'Test Root',
      ]);
      expect(result.path[2]?.sha256).to.equal(sha256Hex(root.der));
    });

    it('anchors and certificates given as PEM text', () => {
      expect(
        verifyChain(chain({ leaf: leaf.pem, intermediates: [intermediate.pem], anchors: [root.pem] })).ok,
      ).to.equal(true);
    });

    it('x5c that also carries the root, with unrelated extra certificates, in any order', () => {
      const stray = issue({ cn: 'Stray', key: makeKey('p256'), ca: {} });
      expect(verifyChain(chain({ intermediates: [root.der, stray.der, intermediate.der] })).ok).to.equal(
        true,
      );
    });

    it('an intermediate trusted directly as the anchor', () => {
      expect(verifyChain(chain({ intermediates: [], anchors: [intermediate.der] })).ok).to.equal(true);
    });

    it('an Ed25519 leaf under an EC intermediate and an RSA root', () => {
      const ed = issue({ cn: 'partner-ed', key: makeKey('ed25519'), issuer: intermediate });
      expect(verifyChain(chain({ leaf: ed.der })).ok).to.equal(true);
    });
  });

  describe('refuses', () => {
    it('a leaf signed by an untrusted CA: CHAIN-UNTRUSTED', () => {
      const rogue = issue({ cn: 'Rogue Root', key: makeKey('p256'), ca: {} });
      const signed = issue({ cn: 'partner-a', key: leafKey, issuer: rogue });
      expect(codes(verifyChain(chain({ leaf: signed.der, intermediates: [rogue.der] })))).to.deep.equal([
        'CHAIN-UNTRUSTED',
      ]);
    });

    it('a CA that copies the trusted root name but not its key: CHAIN-UNTRUSTED (signature)', () => {
      const impostor = issue({
        cn: 'Test Issuing CA',
        key: makeKey('p256'),
        issuer: root,
        ca: { pathLen: 0 },
      });
      // The impostor names itself like the real intermediate; the leaf was signed by the real one.
      const result = verifyChain(chain({ intermediates: [impostor.der] }));
      expect(codes(result)).to.deep.equal(['CHAIN-UNTRUSTED']);
    });

    it('an expired leaf: CHAIN-EXPIRED', () => {
      const old = issue({
        cn: 'partner-a',
        key: leafKey,
        issuer: intermediate,
        notBefore: daysFromNow(-400),
        notAfter: daysFromNow(-1),
      });
      const result = verifyChain(chain({ leaf: old.der }));
      expect(codes(result)).to.deep.equal(['CHAIN-EXPIRED']);
      expect(result.ok ? undefined : result.reasons[0]?.position).to.equal(0);
    });

    it('a not-yet-valid leaf: CHAIN-NOT-YET-VALID', () => {
      const early = issue({ cn: 'partner-a', key: leafKey, issuer: intermediate, notBefore: daysFromNow(1) });
      expect(codes(verifyChain(chain({ leaf: early.der })))).to.deep.equal(['CHAIN-NOT-YET-VALID']);
    });

    it('a leaf valid now but not at `at` (e.g. an attestation iat before notBefore): CHAIN-NOT-YET-VALID', () => {
      const fresh = issue({
        cn: 'partner-a',
        key: leafKey,
        issuer: intermediate,
        notBefore: daysFromNow(-0.1),
      });
      const result = verifyChain(chain({ leaf: fresh.der, at: daysFromNow(-0.5) }));
      expect(codes(result)).to.deep.equal(['CHAIN-NOT-YET-VALID']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('2025-05-31T12:00:00.000Z');
    });

    it('an intermediate without the CA flag: CHAIN-NOT-CA', () => {
      const notCa = issue({
        cn: 'Not A CA',
        key: caKey,
        issuer: root,
        basicConstraints: false,
        keyUsage: ['keyCertSign'],
      });
      const signed = issue({ cn: 'partner-a', key: leafKey, issuer: notCa });
      const result = verifyChain(chain({ leaf: signed.der, intermediates: [notCa.der] }));
      expect(codes(result)).to.deep.equal(['CHAIN-NOT-CA']);
      expect(result.ok ? undefined : result.reasons[0]?.position).to.equal(1);
    });

    it('a path longer than a pathLen allows: CHAIN-PATHLEN', () => {
      const sub = issue({ cn: 'Sub CA', key: makeKey('p256'), issuer: intermediate, ca: {} });
      const signed = issue({ cn: 'partner-a', key: leafKey, issuer: sub });
      const result = verifyChain(chain({ leaf: signed.der, intermediates: [sub.der, intermediate.der] }));
      expect(codes(result)).to.deep.equal(['CHAIN-PATHLEN']);
      expect(result.ok ? [] : result.reasons[0]?.message).to.contain("'Test Issuing CA' allows 0");
    });

    it('a leaf without digitalSignature: CHAIN-KEYUSAGE', () => {
      const noSig = issue({
        cn: 'partner-a',
        key: leafKey,
        issuer: intermediate,
        keyUsage: ['keyEncipherment'],
      });
      expect(codes(verifyChain(chain({ leaf: noSig.der })))).to.deep.equal(['CHAIN-KEYUSAGE']);
    });

    it('a CA without keyCertSign: CHAIN-KEYUSAGE', () => {
      const ca = issue({ cn: 'Weak CA', key: caKey, issuer: root, ca: {}, keyUsage: ['cRLSign'] });
      const signed = issue({ cn: 'partner-a', key: leafKey, issuer: ca });
      expect(codes(verifyChain(chain({ leaf: signed.der, intermediates: [ca.der] })))).to.deep.equal([
        'CHAIN-KEYUSAGE',
      ]);
    });

    it('a subject CN other than the expected one: CHAIN-CN-MISMATCH', () => {
      const result = verifyChain(chain({ expectedCn: 'partner-b' }));
      expect(codes(result)).to.deep.equal(['CHAIN-CN-MISMATCH']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain("'partner-a', expected 'partner-b'");
    });

    it('a revoked leaf: CHAIN-REVOKED at position 0', () => {
      const result = verifyChain(chain({ revokedSha256: new Set([sha256Hex(leaf.der)]) }));
      expect(codes(result)).to.deep.equal(['CHAIN-REVOKED']);
      expect(result.ok ? undefined : result.reasons[0]?.position).to.equal(0);
    });

    it('a revoked intermediate: CHAIN-REVOKED at position 1', () => {
      const result = verifyChain(chain({ revokedSha256: new Set([sha256Hex(intermediate.der)]) }));
      expect(codes(result)).to.deep.equal(['CHAIN-REVOKED']);
      expect(result.ok ? undefined : result.reasons[0]?.position).to.equal(1);
    });

    it('a certificate revoked by a further revocation source (the CRL seam): CHAIN-REVOKED', () => {
      const bySerial: RevocationSource = {
        name: 'test CRL',
        check: (c) =>
          c.issuer.length > 0 && c.sha256 === sha256Hex(leaf.der)
            ? { status: 'revoked', detail: 'listed' }
            : { status: 'good' },
      };
      const result = verifyChain(chain({ revocationSources: [bySerial] }));
      expect(codes(result)).to.deep.equal(['CHAIN-REVOKED']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('test CRL');
    });

    it('an issuer chain that loops (two CAs certifying each other): CHAIN-LOOP', () => {
      const aKey = makeKey('p256');
      const bKey = makeKey('p256');
      const aSelf = issue({ cn: 'Loop A', key: aKey, ca: {} });
      const b = issue({ cn: 'Loop B', key: bKey, issuer: aSelf, ca: {} }); // B issued by A
      const a = issue({ cn: 'Loop A', key: aKey, issuer: b, ca: {} }); // A issued by B
      const signed = issue({ cn: 'partner-a', key: leafKey, issuer: a });
      expect(codes(verifyChain(chain({ leaf: signed.der, intermediates: [a.der, b.der] })))).to.deep.equal([
        'CHAIN-LOOP',
      ]);
    });

    it('a path longer than the depth bound: CHAIN-LOOP (too long)', () => {
      let ca = root;
      const cas: Issued[] = [];
      for (let i = 1; i <= 8; i += 1) {
        ca = issue({ cn: `Level ${i} CA`, key: makeKey('p256'), issuer: ca, ca: {} });
        cas.push(ca);
      }
      const deep = issue({ cn: 'partner-a', key: leafKey, issuer: ca });
      const result = verifyChain(chain({ leaf: deep.der, intermediates: cas.map((c) => c.der) }));
      expect(codes(result)).to.deep.equal(['CHAIN-LOOP']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('no anchor within 8 certificates');
    });

    it('a SHA-1-signed certificate: CHAIN-WEAK-ALG', () => {
      const sha1 = issue({ cn: 'partner-a', key: leafKey, issuer: intermediate, hash: 'sha1' });
      const result = verifyChain(chain({ leaf: sha1.der }));
      expect(codes(result)).to.deep.equal(['CHAIN-WEAK-ALG']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('ecdsa-with-SHA1');
    });

    it('an RSA-1024 key: CHAIN-WEAK-KEY', () => {
      const weak = issue({ cn: 'partner-a', key: makeKey('rsa1024'), issuer: intermediate });
      const result = verifyChain(chain({ leaf: weak.der }));
      expect(codes(result)).to.deep.equal(['CHAIN-WEAK-KEY']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('1024 bits');
    });

    it('a curve other than P-256/P-384/Ed25519 (P-521): CHAIN-WEAK-KEY', () => {
      const p521 = issue({ cn: 'partner-a', key: makeKey('p521'), issuer: intermediate });
      expect(codes(verifyChain(chain({ leaf: p521.der })))).to.deep.equal(['CHAIN-WEAK-KEY']);
    });

    it('an unknown critical extension: CHAIN-CRITICAL-EXT', () => {
      const ext = { oid: '1.3.6.1.4.1.55555.1', critical: true, value: Buffer.from([0x05, 0x00]) };
      const odd = issue({ cn: 'partner-a', key: leafKey, issuer: intermediate, extraExtensions: [ext] });
      expect(codes(verifyChain(chain({ leaf: odd.der })))).to.deep.equal(['CHAIN-CRITICAL-EXT']);
    });

    it('accepts the same unknown extension when it is not critical', () => {
      const ext = { oid: '1.3.6.1.4.1.55555.1', critical: false, value: Buffer.from([0x05, 0x00]) };
      const odd = issue({ cn: 'partner-a', key: leafKey, issuer: intermediate, extraExtensions: [ext] });
      expect(verifyChain(chain({ leaf: odd.der })).ok).to.equal(true);
    });

    it('bytes that are not a certificate: CHAIN-MALFORMED', () => {
      expect(codes(verifyChain(chain({ leaf: Buffer.from('30030201ff', 'hex') })))).to.deep.equal([
        'CHAIN-MALFORMED',
      ]);
      expect(codes(verifyChain(chain({ leaf: leaf.der.subarray(0, leaf.der.length - 1) })))).to.deep.equal([
        'CHAIN-MALFORMED',
      ]);
      expect(codes(verifyChain(chain({ intermediates: ['not pem'] })))).to.deep.equal(['CHAIN-MALFORMED']);
    });

    it('a leaf with no anchors at all: CHAIN-UNTRUSTED', () => {
      expect(codes(verifyChain(chain({ anchors: [] })))).to.deep.equal(['CHAIN-UNTRUSTED']);
    });

    it('reports every problem of the path at once', () => {
      const bad = issue({
        cn: 'partner-x',
        key: makeKey('rsa1024'),
        issuer: intermediate,
        notAfter: daysFromNow(-1),
        notBefore: daysFromNow(-10),
      });
      const result = verifyChain(
        chain({ leaf: bad.der, expectedCn: 'partner-a', revokedSha256: new Set([sha256Hex(bad.der)]) }),
      );
      expect(codes(result)).to.have.members([
        'CHAIN-EXPIRED',
        'CHAIN-WEAK-KEY',
        'CHAIN-REVOKED',
        'CHAIN-CN-MISMATCH',
      ]);
    });
  });

  describe('interoperates with the openssl CLI', () => {
    const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
    let dir = '';
    after(() => {
      if (dir !== '') rmSync(dir, { recursive: true, force: true });
    });

    it('accepts a root → intermediate (P-256) → leaf (Ed25519) chain made by openssl', function () {
      // Skipped only when the openssl binary is not installed on this machine: nothing to interoperate with.
      if (!hasOpenssl) this.skip();
      dir = mkdtempSync(path.join(tmpdir(), 'xborder-openssl-'));
      const f = (name: string): string => path.join(dir, name);
      const run = (...args: string[]): void => {
        execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
      };
      writeFileSync(
        f('ca.ext'),
        'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
      );
      writeFileSync(
        f('leaf.ext'),
        'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
      );
      run(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'root.key',
        '-out',
        'root.crt',
        '-subj',
        '/CN=OpenSSL Root',
        '-days',
        '30',
        '-sha256',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      );
      run(
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'int.key',
        '-out',
        'int.csr',
        '-subj',
        '/CN=OpenSSL Issuing CA',
      );
      run(
        'x509',
        '-req',
        '-in',
        'int.csr',
        '-CA',
        'root.crt',
        '-CAkey',
        'root.key',
        '-CAcreateserial',
        '-days',
        '20',
        '-sha256',
        '-extfile',
        'ca.ext',
        '-out',
        'int.crt',
      );
      run('genpkey', '-algorithm', 'ed25519', '-out', 'leaf.key');
      run('req', '-new', '-key', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=partner-openssl');
      run(
        'x509',
        '-req',
        '-in',
        'leaf.csr',
        '-CA',
        'int.crt',
        '-CAkey',
        'int.key',
        '-CAcreateserial',
        '-days',
        '10',
        '-sha256',
        '-extfile',
        'leaf.ext',
        '-out',
        'leaf.crt',
      );
      const read = (name: string): string => readFileSync(f(name), 'utf8');
      // openssl stamps the wall clock, so this one test validates at the real current time.
      const result = verifyChain({
        leaf: read('leaf.crt'),
        intermediates: [read('int.crt')],
        anchors: [read('root.crt')],
        now: new Date(),
        revokedSha256: new Set(),
        expectedCn: 'partner-openssl',
      });
      expect(codes(result)).to.deep.equal([]);
      expect(result.ok && result.path.map((c) => c.key.kind)).to.deep.equal(['ed25519', 'ec', 'rsa']);
    });
  });
});
