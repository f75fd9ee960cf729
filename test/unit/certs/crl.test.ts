// CRLs (RFC 5280 §5) as a revocation source: parsing, signature against the issuer, freshness, and what
// chain validation and attestation verification make of them. CRLs are built here (crl-builder.ts) and, when
// the binary is present, by `openssl ca -gencrl`.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signAttestation, verifyAttestation } from '../../../certs/attestation.js';
import type { AttestationClaims } from '../../../certs/attestation-claims.js';
import { parseCertificate } from '../../../certs/certificate.js';
import { verifyChain, type ChainInput, type ChainResult } from '../../../certs/chain.js';
import { parseCrl } from '../../../certs/crl.js';
import { buildCrl, type CrlSpec } from '../../../certs/crl-builder.js';
import { createCrlRevocationSource } from '../../../certs/crl-revocation.js';
import { raw, readSequenceElements, seq } from '../../../certs/der.js';
import { encodeDer } from '../../../certs/forge.js';
import { derToPem, pemToDer } from '../../../certs/pem.js';
import { parseTrustFiles } from '../../../certs/trust-files.js';
import { NOW, daysFromNow, issue, makeKey, type Issued } from './test-pki.js';
import { attestationClaims } from '../../support/attestation-claims.js';

const codes = (r: ChainResult): string[] => (r.ok ? [] : r.reasons.map((x) => x.code));
const serialOf = (cert: Pick<Issued, 'der'>): string => {
  const parsed = parseCertificate(cert.der);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.certificate.serialHex;
};

describe('certs/crl and CRL revocation', () => {
  let root: Issued;
  let intermediate: Issued;
  let leaf: Issued;
  /** A fresh CRL by `ca` listing `revoked`; `over` changes any field. */
  const crlBy = (
    ca: Issued,
    revoked: Issued[] = [],
    { nextUpdate, ...over }: Omit<Partial<CrlSpec>, 'nextUpdate'> & { nextUpdate?: Date | null } = {},
  ): Buffer =>
    buildCrl({
      issuer: { certificate: ca.der, privateKey: ca.key.privateKey },
      thisUpdate: daysFromNow(-1),
      revoked: revoked.map((c) => ({ serialHex: serialOf(c), revokedAt: daysFromNow(-1), reason: 1 })),
      ...over,
      // null: left out.
      ...(nextUpdate === null ? {} : { nextUpdate: nextUpdate ?? daysFromNow(6) }),
    });
  const withCrls = (crls: Buffer[], over: Partial<ChainInput> = {}): ChainInput => ({
    leaf: leaf.der,
    intermediates: [intermediate.der],
    anchors: [root.der],
    now: NOW,
    revokedSha256: new Set(),
    revocationSources: [
      createCrlRevocationSource(
        crls.map((der, i) => ({ label: `test-${i}.crl`, der })),
        [root.der],
      ),
    ],
    ...over,
  });

  before(() => {
    root = issue({ cn: 'Test Root', key: makeKey('rsa2048'), ca: {} });
    intermediate = issue({ cn: 'Test Issuing CA', key: makeKey('p256'), issuer: root, ca: { pathLen: 0 } });
    leaf = issue({ cn: 'partner-a', key: makeKey('p256'), issuer: intermediate });
  });

  describe('parseCrl', () => {
    it('reads issuer, times, number, authority key id and revoked serials of a built CRL', () => {
      const parsed = parseCrl(crlBy(intermediate, [leaf], { crlNumber: 7 }));
      expect(parsed.ok).to.equal(true);
      if (!parsed.ok) return;
      const issuer = parseCertificate(intermediate.der);
      expect(issuer.ok && parsed.crl.issuer.equals(issuer.certificate.subject)).to.equal(true);
      expect(parsed.crl.issuerCn).to.equal('Test Issuing CA');
      expect(parsed.crl.thisUpdate.toISOString()).to.equal(daysFromNow(-1).toISOString());
      expect(parsed.crl.nextUpdate?.toISOString()).to.equal(daysFromNow(6).toISOString());
      expect(parsed.crl.crlNumber).to.equal('07');
      expect(parsed.crl.authorityKeyId).to.equal(issuer.ok ? issuer.certificate.subjectKeyId : '');
      expect([...parsed.crl.revoked.keys()]).to.deep.equal([serialOf(leaf)]);
      expect(parsed.crl.criticalExtensions).to.deep.equal([]);
    });

    it('reads a CRL without revoked certificates or nextUpdate', () => {
      const parsed = parseCrl(crlBy(root, [], { nextUpdate: null }));
      expect(parsed.ok && parsed.crl.revoked.size).to.equal(0);
      expect(parsed.ok && parsed.crl.nextUpdate).to.equal(undefined);
    });

    it('refuses bytes that are not a CRL, truncated CRLs and certificates, with a message', () => {
      const crl = crlBy(intermediate, [leaf]);
      for (const bad of [Buffer.from('not a crl'), crl.subarray(0, crl.length - 3), leaf.der]) {
        const parsed = parseCrl(bad);
        expect(parsed.ok).to.equal(false);
        expect(parsed.ok ? '' : parsed.message)
          .to.be.a('string')
          .and.not.equal('');
      }
    });
  });

  describe('in chain validation (verifyChain with a CRL source)', () => {
    it('accepts a chain when fresh CRLs of both CAs list other certificates', () => {
      const other = issue({ cn: 'partner-b', key: makeKey('p256'), issuer: intermediate });
      expect(codes(verifyChain(withCrls([crlBy(intermediate, [other]), crlBy(root)])))).to.deep.equal([]);
    });

    it('refuses a leaf listed on its issuing CA’s CRL: CHAIN-REVOKED at position 0', () => {
      const result = verifyChain(withCrls([crlBy(intermediate, [leaf])]));
      expect(codes(result)).to.deep.equal(['CHAIN-REVOKED']);
      expect(result.ok ? undefined : result.reasons[0]?.position).to.equal(0);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain(`serial ${serialOf(leaf)}`);
    });

    it('refuses an intermediate listed on the root’s CRL: CHAIN-REVOKED at position 1', () => {
      const result = verifyChain(withCrls([crlBy(root, [intermediate])]));
      expect(codes(result)).to.deep.equal(['CHAIN-REVOKED']);
      expect(result.ok ? undefined : result.reasons[0]?.position).to.equal(1);
    });

    it('refuses when the configured CRL is past its nextUpdate: CHAIN-CRL-STALE (fail closed)', () => {
      const stale = crlBy(intermediate, [], { thisUpdate: daysFromNow(-10), nextUpdate: daysFromNow(-3) });
      const result = verifyChain(withCrls([stale]));
      expect(codes(result)).to.deep.equal(['CHAIN-CRL-STALE']);
      expect(result.ok ? undefined : result.reasons[0]?.position).to.equal(0);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('was due to be replaced at');
    });

    it('refuses a CRL without nextUpdate as never current: CHAIN-CRL-STALE', () => {
      expect(codes(verifyChain(withCrls([crlBy(root, [], { nextUpdate: null })])))).to.deep.equal([
        'CHAIN-CRL-STALE',
      ]);
    });

    it('uses the newest of two CRLs of one CA: a superseded stale one does not refuse', () => {
      const old = crlBy(intermediate, [], { thisUpdate: daysFromNow(-10), nextUpdate: daysFromNow(-3) });
      expect(codes(verifyChain(withCrls([old, crlBy(intermediate)])))).to.deep.equal([]);
    });

    it('still refuses a certificate listed on a stale CRL as revoked (a listing does not expire)', () => {
      const stale = crlBy(intermediate, [leaf], {
        thisUpdate: daysFromNow(-10),
        nextUpdate: daysFromNow(-3),
      });
      expect(codes(verifyChain(withCrls([stale])))).to.deep.equal(['CHAIN-REVOKED']);
    });

    it('refuses when a CRL’s signature does not verify with its issuer’s key: CHAIN-CRL-INVALID', () => {
      // Same issuer name and key identifier, signed by another key: a forged CRL that lists nothing.
      const forged = buildCrl({
        issuer: { certificate: intermediate.der, privateKey: makeKey('p256').privateKey },
        thisUpdate: daysFromNow(-1),
        nextUpdate: daysFromNow(6),
        revoked: [],
      });
      const result = verifyChain(withCrls([forged]));
      expect(codes(result)).to.deep.equal(['CHAIN-CRL-INVALID']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('does not verify');
      // And a genuine list with an entry removed after signing: the empty list's body under the full one's signature.
      const [emptyBody, algorithm] = readSequenceElements(crlBy(intermediate)) ?? [];
      const [, , fullSignature] = readSequenceElements(crlBy(intermediate, [leaf])) ?? [];
      if (emptyBody === undefined || algorithm === undefined || fullSignature === undefined)
        throw new Error('split');
      const spliced = encodeDer(seq(raw(emptyBody), raw(algorithm), raw(fullSignature)));
      expect(parseCrl(spliced).ok).to.equal(true);
      expect(codes(verifyChain(withCrls([spliced])))).to.deep.equal(['CHAIN-CRL-INVALID']);
    });

    it('refuses a CRL signed by a CA whose keyUsage lacks cRLSign: CHAIN-CRL-INVALID', () => {
      const noCrlSign = issue({
        cn: 'Test Issuing CA',
        key: intermediate.key,
        issuer: root,
        ca: { pathLen: 0 },
        keyUsage: ['keyCertSign'],
      });
      const result = verifyChain(withCrls([crlBy(noCrlSign)], { intermediates: [noCrlSign.der] }));
      expect(codes(result)).to.deep.equal(['CHAIN-CRL-INVALID']);
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('cRLSign');
    });

    it('refuses every chain while a configured CRL file cannot be read: CHAIN-CRL-INVALID', () => {
      const result = verifyChain(withCrls([Buffer.from('garbage')]));
      expect(codes(result)).to.include('CHAIN-CRL-INVALID');
      expect(result.ok ? '' : result.reasons[0]?.message).to.contain('test-0.crl cannot be read');
    });

    it('refuses a CRL with a critical extension it does not process (a partitioned CRL): CHAIN-CRL-INVALID', () => {
      const idp = { oid: '2.5.29.28', critical: true, value: Buffer.from([0x30, 0x03, 0x81, 0x01, 0xff]) };
      const partitioned = crlBy(intermediate, [], { extraExtensions: [idp] });
      expect(codes(verifyChain(withCrls([partitioned])))).to.deep.equal(['CHAIN-CRL-INVALID']);
    });

    it('refuses a CRL without cRLNumber, or with a critical one: CHAIN-CRL-NUMBER (RFC 5280 §5.2.3)', () => {
      for (const over of [{ crlNumber: null }, { crlNumber: 3, crlNumberCritical: true }]) {
        const result = verifyChain(withCrls([crlBy(intermediate, [], over)]));
        expect(codes(result)).to.deep.equal(['CHAIN-CRL-NUMBER']);
        expect(result.ok ? '' : result.reasons[0]?.message).to.contain('RFC 5280 §5.2.3');
      }
    });

    it('still takes a listing on a CRL without cRLNumber that verifies: CHAIN-REVOKED', () => {
      expect(codes(verifyChain(withCrls([crlBy(intermediate, [leaf], { crlNumber: null })])))).to.deep.equal([
        'CHAIN-REVOKED',
      ]);
    });

    it('refuses a SHA-1-signed CRL: CHAIN-CRL-INVALID', () => {
      expect(codes(verifyChain(withCrls([crlBy(intermediate, [], { hash: 'sha1' })])))).to.deep.equal([
        'CHAIN-CRL-INVALID',
      ]);
    });

    it('ignores the CRL of an unrelated CA, and a CRL for another key of a same-named CA', () => {
      const stranger = issue({ cn: 'Another CA', key: makeKey('p256'), ca: {} });
      const rolled = issue({ cn: 'Test Issuing CA', key: makeKey('p256'), issuer: root, ca: {} });
      const stale = { thisUpdate: daysFromNow(-10), nextUpdate: daysFromNow(-3) };
      expect(
        codes(verifyChain(withCrls([crlBy(stranger, [leaf], stale), crlBy(rolled, [leaf])]))),
      ).to.deep.equal([]);
    });

    it('verifies a CRL about an anchor-trusted intermediate with the root anchor of its issuer name', () => {
      const source = createCrlRevocationSource(
        [{ label: 'root.crl', der: crlBy(root, [intermediate]) }],
        [root.der],
      );
      const result = verifyChain({
        leaf: leaf.der,
        intermediates: [],
        anchors: [intermediate.der],
        now: NOW,
        revokedSha256: new Set(),
        revocationSources: [source],
      });
      expect(codes(result)).to.deep.equal(['CHAIN-REVOKED']);
      expect(result.ok ? undefined : result.reasons[0]?.position).to.equal(1);
    });
  });

  describe('in attestation verification', () => {
    const claims = (): AttestationClaims =>
      attestationClaims(
        {
          iss: 'partner-a',
          sub: '91450100MA5K8Q7W3T',
          jti: 'att-crl-1',
          iat: Math.floor(daysFromNow(-0.5).getTime() / 1000),
          nbf: Math.floor(daysFromNow(-0.5).getTime() / 1000),
          exp: Math.floor(daysFromNow(30).getTime() / 1000),
          endpoints: ['sg-main'],
        },
        { purposes: ['order fulfilment'], dataCategories: ['order'] },
      );
    const verifyWith = async (crls: Buffer[]) => {
      const jws = await signAttestation(claims(), {
        key: leaf.key.privateKey,
        chainPem: leaf.pem + intermediate.pem,
      });
      const trust = parseTrustFiles([
        { name: 'root.crt', bytes: Buffer.from(root.pem) },
        ...crls.map((der, i) => ({ name: `ca-${i}.crl`, bytes: der })),
      ]);
      return verifyAttestation(jws, {
        anchors: trust.anchors,
        revocationSources: trust.revocationSources,
        revokedSha256: new Set(),
        now: NOW,
      });
    };

    it('maps a CRL-revoked partner certificate to R-EVID-ATTESTATION-REVOKED', async () => {
      const result = await verifyWith([crlBy(intermediate, [leaf])]);
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).to.deep.equal([
        'R-EVID-ATTESTATION-REVOKED',
      ]);
    });

    it('maps a stale or unusable CRL to R-EVID-ATTESTATION-UNTRUSTED, naming the low-level code', async () => {
      const stale = await verifyWith([
        crlBy(root, [], { nextUpdate: daysFromNow(-1), thisUpdate: daysFromNow(-2) }),
      ]);
      expect(stale.ok ? [] : stale.reasons.map((r) => r.code)).to.deep.equal([
        'R-EVID-ATTESTATION-UNTRUSTED',
      ]);
      expect(stale.ok ? '' : stale.reasons[0]?.message).to.match(/^CHAIN-CRL-STALE: /);
      const bad = await verifyWith([Buffer.from('-----BEGIN X509 CRL-----\n!!\n-----END X509 CRL-----\n')]);
      expect(bad.ok ? '' : bad.reasons[0]?.message).to.match(/^CHAIN-CRL-INVALID: /);
    });

    it('accepts with fresh CRLs in the trust files, PEM or DER', async () => {
      const pem = Buffer.from(derToPem(crlBy(intermediate), 'X509 CRL'));
      expect((await verifyWith([pem, crlBy(root)])).ok).to.equal(true);
    });
  });

  describe('parseTrustFiles', () => {
    it('takes anchors from .pem/.crt, CRLs from .crl (PEM or DER) and X509 CRL blocks, ignoring other files', () => {
      const material = parseTrustFiles([
        { name: 'root.crt', bytes: Buffer.from(root.pem) },
        { name: 'bundle.pem', bytes: Buffer.from(intermediate.pem + derToPem(crlBy(root), 'X509 CRL')) },
        { name: 'issuing.crl', bytes: crlBy(intermediate) },
        { name: 'notes.txt', bytes: Buffer.from(leaf.pem) },
      ]);
      expect(material.anchors).to.have.length(2);
      expect(material.crlCount).to.equal(2);
      expect(material.revocationSources).to.have.length(1);
      expect(
        parseTrustFiles([{ name: 'root.crt', bytes: Buffer.from(root.pem) }]).revocationSources,
      ).to.deep.equal([]);
    });
  });

  describe('interoperates with the openssl CLI', () => {
    const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
    let dir = '';
    after(() => {
      if (dir !== '') rmSync(dir, { recursive: true, force: true });
    });

    it('refuses a leaf revoked by `openssl ca -gencrl`, and openssl verifies a CRL built here', function () {
      // Skipped only when the openssl binary is not installed on this machine: nothing to interoperate with.
      if (!hasOpenssl) this.skip();
      dir = mkdtempSync(path.join(tmpdir(), 'xborder-openssl-crl-'));
      const run = (...args: string[]): string =>
        execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' }).toString();
      const f = (name: string): string => path.join(dir, name);
      writeFileSync(f('index.txt'), '');
      writeFileSync(f('crlnumber'), '01\n');
      writeFileSync(
        f('ca.cnf'),
        [
          '[ ca ]',
          'default_ca = CA_default',
          '[ CA_default ]',
          'database = index.txt',
          'crlnumber = crlnumber',
          'default_md = sha256',
          'crl_extensions = crl_ext',
          '[ crl_ext ]',
          'authorityKeyIdentifier = keyid:always',
          '',
        ].join('\n'),
      );
      writeFileSync(
        f('leaf.ext'),
        'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
      );
      run(
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
        '-subj',
        '/CN=OpenSSL CRL CA',
        '-days',
        '30',
        '-sha256',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      );
      for (const name of ['revoked', 'kept']) {
        run(
          'req',
          '-new',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-keyout',
          `${name}.key`,
          '-out',
          `${name}.csr`,
          '-subj',
          `/CN=partner-${name}`,
        );
        run(
          'x509',
          '-req',
          '-in',
          `${name}.csr`,
          '-CA',
          'ca.crt',
          '-CAkey',
          'ca.key',
          '-CAcreateserial',
          '-days',
          '10',
          '-sha256',
          '-extfile',
          'leaf.ext',
          '-out',
          `${name}.crt`,
        );
      }
      run(
        'ca',
        '-config',
        'ca.cnf',
        '-keyfile',
        'ca.key',
        '-cert',
        'ca.crt',
        '-revoke',
        'revoked.crt',
        '-crl_reason',
        'keyCompromise',
      );
      run(
        'ca',
        '-config',
        'ca.cnf',
        '-keyfile',
        'ca.key',
        '-cert',
        'ca.crt',
        '-gencrl',
        '-crldays',
        '1',
        '-out',
        'ca.crl',
      );
      const read = (name: string): string => readFileSync(f(name), 'utf8');
      const trust = parseTrustFiles([
        { name: 'ca.crt', bytes: readFileSync(f('ca.crt')) },
        { name: 'ca.crl', bytes: readFileSync(f('ca.crl')) },
      ]);
      // openssl stamps the wall clock, so this test validates at the real current time.
      const verify = (name: string) =>
        verifyChain({
          leaf: read(`${name}.crt`),
          intermediates: [],
          anchors: trust.anchors,
          now: new Date(),
          revokedSha256: new Set(),
          revocationSources: trust.revocationSources,
        });
      expect(codes(verify('revoked'))).to.deep.equal(['CHAIN-REVOKED']);
      expect(codes(verify('kept'))).to.deep.equal([]);

      // The other way: a CRL from crl-builder.ts under openssl's own CA certificate and key.
      const revokedSerial = serialOf({ der: pemToDer(read('revoked.crt')) ?? Buffer.alloc(0) });
      const ours = buildCrl({
        issuer: {
          certificate: pemToDer(read('ca.crt')) ?? Buffer.alloc(0),
          privateKey: createPrivateKey(read('ca.key')),
        },
        thisUpdate: new Date(Date.now() - 60_000),
        nextUpdate: new Date(Date.now() + 86_400_000),
        revoked: [{ serialHex: revokedSerial, revokedAt: new Date(Date.now() - 60_000) }],
      });
      writeFileSync(f('ours.crl'), derToPem(ours, 'X509 CRL'));
      const checked = spawnSync(
        'openssl',
        ['crl', '-in', 'ours.crl', '-CAfile', 'ca.crt', '-noout', '-text'],
        {
          cwd: dir,
        },
      );
      expect(checked.stderr.toString()).to.contain('verify OK');
      expect(checked.stdout.toString()).to.contain(`Serial Number: ${revokedSerial.toUpperCase()}`);
    });
  });
});
