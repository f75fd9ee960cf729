// POST /v1/attestations on the in-process gateway refuses what the forgery suite refuses, each with its specific
// R-EVID-ATTESTATION-* code in `details` — including revocation by the registry and by CRLs placed in the trust
// dir — and GET /v1/filings?expiring=true lists the filings inside their extension window.
import { expect } from 'chai';
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { signAttestation, type AttestationClaims } from '../../../certs/attestation.js';
import { buildCertificate, type CertificateSpec } from '../../../certs/certificate-builder.js';
import { parseCertificate } from '../../../certs/certificate.js';
import { buildCrl } from '../../../certs/crl-builder.js';
import { devPkiPaths } from '../../../certs/dev-pki.js';
import { derToPem, pemToDer } from '../../../certs/pem.js';
import { sha256Hex } from '../../../certs/sha256-hex.js';
import { request, startHarness, type Answer, type Harness } from './gateway-harness.js';
import { attestationClaims } from '../../support/attestation-claims.js';
import { chinaDate } from '../../support/china-time.js';

const exporter = '91450100MA5KDEM11G';
const day = 86_400_000;

interface Ca {
  readonly der: Buffer;
  readonly pem: string;
  readonly key: KeyObject;
}

const ecKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** A certificate valid around the real clock (the gateway judges at its own now). */
function certify(
  cn: string,
  subjectKey: KeyObject,
  issuer: Ca | 'self',
  signingKey: KeyObject,
  over: Partial<CertificateSpec> = {},
): Buffer {
  return buildCertificate({
    subject: { cn, o: 'xborder registration tests' },
    subjectKey,
    issuer:
      issuer === 'self'
        ? { selfSignedWith: signingKey }
        : { certificate: issuer.der, privateKey: signingKey },
    notBefore: new Date(Date.now() - day),
    notAfter: new Date(Date.now() + 90 * day),
    keyUsage: ['digitalSignature'],
    ...over,
  });
}

function makeCa(cn: string, issuer: Ca | 'self', over: Partial<CertificateSpec> = {}): Ca {
  const pair = ecKey();
  const der = certify(cn, pair.publicKey, issuer, issuer === 'self' ? pair.privateKey : issuer.key, {
    ca: {},
    keyUsage: ['keyCertSign', 'cRLSign'],
    ...over,
  });
  return { der, pem: derToPem(der), key: pair.privateKey };
}

const serialOf = (der: Buffer): string => {
  const parsed = parseCertificate(der);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.certificate.serialHex;
};

const b64u = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('gateway: attestation registration and the trust dir (in-process, real Redis)', function () {
  this.timeout(60_000);
  let h: Harness;
  let admin: string;
  let devRoot: Ca;
  let devIntermediate: Ca;
  /** A second hierarchy whose root and CRLs sit in the trust dir from the start. */
  let crlRoot: Ca;
  let revokedLeafCa: Ca;
  let revokedCa: Ca;
  let staleCa: Ca;

  const claims = (partner: string, over: Partial<AttestationClaims> = {}): AttestationClaims => {
    const now = Math.floor(Date.now() / 1000);
    return attestationClaims(
      {
        iss: partner,
        sub: exporter,
        jti: `att-${partner}-${Math.random().toString(36).slice(2)}`,
        iat: now - 60,
        nbf: now - 60,
        exp: now + 30 * 86_400,
        endpoints: ['e-sg'],
      },
      over,
    );
  };

  /** A leaf under `issuer` (CN = partner id) and an attestation it signs, x5c = leaf + `chain`. */
  async function attest(
    partner: string,
    issuer: Ca,
    options: {
      chain?: Ca[];
      cert?: Partial<CertificateSpec>;
      claims?: Partial<AttestationClaims>;
      cn?: string;
    } = {},
  ): Promise<{ jws: string; leaf: Buffer; key: KeyObject }> {
    const pair = ecKey();
    const leaf = certify(options.cn ?? partner, pair.publicKey, issuer, issuer.key, options.cert ?? {});
    const chainPem = derToPem(leaf) + (options.chain ?? [issuer]).map((c) => c.pem).join('');
    const jws = await signAttestation(claims(partner, options.claims), { key: pair.privateKey, chainPem });
    return { jws, leaf, key: pair.privateKey };
  }

  const register = (jws: string): Promise<Answer> =>
    request(`${h.url}/v1/attestations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ jws }),
    });

  /** 422 EVIDENCE_INVALID whose details carry exactly `code`, and a message starting with `low` when given. */
  async function expectRefused(jws: string, code: string, low?: string): Promise<void> {
    const answer = await register(jws);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(422);
    expect(answer.body.error?.code).to.equal('EVIDENCE_INVALID');
    const details = (answer.body.error?.details ?? []) as { code?: string; message?: string }[];
    expect([...new Set(details.map((d) => d.code))]).to.deep.equal([code]);
    if (low !== undefined) expect(details.map((d) => d.message ?? '').join('\n')).to.contain(low);
  }

  before(async () => {
    h = await startHarness();
    admin = await h.token('admin');
    const pki = devPkiPaths(path.join(h.dataDir, 'pki'));
    const read = (file: string) => readFileSync(file, 'utf8');
    const rootPem = read(pki.root.cert);
    devRoot = {
      der: pemToDer(rootPem) ?? Buffer.alloc(0),
      pem: rootPem,
      key: createPrivateKey(read(pki.root.key)),
    };
    const intermediatePem = read(pki.intermediate.cert);
    devIntermediate = {
      der: pemToDer(intermediatePem) ?? Buffer.alloc(0),
      pem: intermediatePem,
      key: createPrivateKey(read(pki.intermediate.key)),
    };

    // Written before the gateway first reads the trust dir, so no cache interval is waited for.
    crlRoot = makeCa('CRL Test Root', 'self');
    revokedLeafCa = makeCa('CRL Test CA A', crlRoot);
    revokedCa = makeCa('CRL Test CA B', crlRoot);
    staleCa = makeCa('CRL Test CA C', crlRoot);
    const crl = (ca: Ca, serials: string[], nextUpdate = new Date(Date.now() + 7 * day)) =>
      buildCrl({
        issuer: { certificate: ca.der, privateKey: ca.key },
        thisUpdate: new Date(Date.now() - 2 * day),
        nextUpdate,
        revoked: serials.map((serialHex) => ({ serialHex, revokedAt: new Date(Date.now() - day) })),
      });
    const trustDir = pki.trustDir;
    writeFileSync(path.join(trustDir, 'crl-test-root.crt'), crlRoot.pem);
    writeFileSync(path.join(trustDir, 'crl-test-root.crl'), crl(crlRoot, [serialOf(revokedCa.der)]));
    writeFileSync(path.join(trustDir, 'crl-test-ca-c.crl'), crl(staleCa, [], new Date(Date.now() - day)));
    // CA A's CRL lists the leaf made for partner-crl-revoked; its serial is fixed here so the CRL can name it.
    writeFileSync(
      path.join(trustDir, 'crl-test-ca-a.crl'),
      derToPem(crl(revokedLeafCa, ['7e57c0de01']), 'X509 CRL'),
    );
  });
  after(() => h.stop());

  describe('POST /v1/attestations', () => {
    it('registers a valid attestation from the development PKI (201)', async () => {
      const { jws } = await attest('partner-ok', devIntermediate);
      const answer = await register(jws);
      expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
      expect(answer.body['partnerId']).to.equal('partner-ok');
    });

    it('refuses an altered payload, alg none, HS256 keyed with the public key, and a missing x5c: R-EVID-ATTESTATION-INVALID', async () => {
      const { jws, key } = await attest('partner-forged', devIntermediate);
      const [header, payload, signature] = jws.split('.') as [string, string, string];
      const body = JSON.parse(Buffer.from(payload, 'base64url').toString()) as AttestationClaims;
      await expectRefused(
        `${header}.${b64u({ ...body, storageCountry: 'MY' })}.${signature}`,
        'R-EVID-ATTESTATION-INVALID',
        'JWS-SIGNATURE',
      );
      const parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>;
      await expectRefused(
        `${b64u({ ...parsedHeader, alg: 'none' })}.${payload}.`,
        'R-EVID-ATTESTATION-INVALID',
        'JWS-ALG',
      );
      const hsInput = `${b64u({ ...parsedHeader, alg: 'HS256' })}.${payload}`;
      const publicPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
      const hmac = createHmac('sha256', publicPem).update(hsInput).digest('base64url');
      await expectRefused(`${hsInput}.${hmac}`, 'R-EVID-ATTESTATION-INVALID', 'JWS-ALG');
      const noX5c = `${b64u({ alg: 'ES256', typ: 'xborder-attestation+jwt' })}.${payload}`;
      const noX5cSig = sign('sha256', Buffer.from(noX5c), { key, dsaEncoding: 'ieee-p1363' });
      await expectRefused(
        `${noX5c}.${noX5cSig.toString('base64url')}`,
        'R-EVID-ATTESTATION-INVALID',
        'JWS-X5C',
      );
    });

    it('refuses an untrusted CA, a wrong CN, a CA without the CA flag, an exceeded pathLen, a leaf without digitalSignature, SHA-1, a loop and an RSA-1024 CA: R-EVID-ATTESTATION-UNTRUSTED', async () => {
      const rogue = makeCa('Rogue Root', 'self');
      await expectRefused(
        (await attest('partner-x', rogue)).jws,
        'R-EVID-ATTESTATION-UNTRUSTED',
        'CHAIN-UNTRUSTED',
      );
      await expectRefused(
        (await attest('partner-x', devIntermediate, { cn: 'someone-else' })).jws,
        'R-EVID-ATTESTATION-UNTRUSTED',
        'CHAIN-CN-MISMATCH',
      );
      // basicConstraints cA=FALSE, though its keyUsage allows certificate signing.
      const notCaKey = ecKey();
      const notCaDer = certify('Not A CA', notCaKey.publicKey, devIntermediate, devIntermediate.key, {
        keyUsage: ['keyCertSign', 'cRLSign'],
      });
      const notCa: Ca = { der: notCaDer, pem: derToPem(notCaDer), key: notCaKey.privateKey };
      await expectRefused(
        (await attest('partner-x', notCa, { chain: [notCa, devIntermediate] })).jws,
        'R-EVID-ATTESTATION-UNTRUSTED',
        'CHAIN-NOT-CA',
      );
      // The development intermediate has pathLen 0: a CA below it exceeds it.
      const deeper = makeCa('Too Deep CA', devIntermediate);
      await expectRefused(
        (await attest('partner-x', deeper, { chain: [deeper, devIntermediate] })).jws,
        'R-EVID-ATTESTATION-UNTRUSTED',
        'CHAIN-PATHLEN',
      );
      await expectRefused(
        (await attest('partner-x', devIntermediate, { cert: { keyUsage: ['keyEncipherment'] } })).jws,
        'R-EVID-ATTESTATION-UNTRUSTED',
        'CHAIN-KEYUSAGE',
      );
      await expectRefused(
        (await attest('partner-x', devIntermediate, { cert: { hash: 'sha1' } })).jws,
        'R-EVID-ATTESTATION-UNTRUSTED',
        'CHAIN-WEAK-ALG',
      );
      // Two CAs certifying each other: no path reaches an anchor.
      const loopKeyA = ecKey();
      const loopKeyB = ecKey();
      const aSelfDer = certify('Loop A', loopKeyA.publicKey, 'self', loopKeyA.privateKey, {
        ca: {},
        keyUsage: ['keyCertSign'],
      });
      const aSeed: Ca = { der: aSelfDer, pem: derToPem(aSelfDer), key: loopKeyA.privateKey };
      const bDer = certify('Loop B', loopKeyB.publicKey, aSeed, loopKeyA.privateKey, {
        ca: {},
        keyUsage: ['keyCertSign'],
      });
      const b: Ca = { der: bDer, pem: derToPem(bDer), key: loopKeyB.privateKey };
      const aDer = certify('Loop A', loopKeyA.publicKey, b, loopKeyB.privateKey, {
        ca: {},
        keyUsage: ['keyCertSign'],
      });
      const a: Ca = { der: aDer, pem: derToPem(aDer), key: loopKeyA.privateKey };
      await expectRefused(
        (await attest('partner-x', a, { chain: [a, b] })).jws,
        'R-EVID-ATTESTATION-UNTRUSTED',
        'CHAIN-LOOP',
      );
      // RSA-1024 in the chain (an issuing CA under the development root): CHAIN-WEAK-KEY.
      const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const weakCaDer = certify('Weak RSA-1024 CA', weak.publicKey, devRoot, devRoot.key, {
        ca: { pathLen: 0 },
        keyUsage: ['keyCertSign', 'cRLSign'],
      });
      const weakCa: Ca = { der: weakCaDer, pem: derToPem(weakCaDer), key: weak.privateKey };
      await expectRefused(
        (await attest('partner-x', weakCa, { chain: [weakCa] })).jws,
        'R-EVID-ATTESTATION-UNTRUSTED',
        'CHAIN-WEAK-KEY',
      );
    });

    it('refuses an attestation signed with an RSA-1024 partner key at the JWS layer: R-EVID-ATTESTATION-INVALID (JWS-KEY)', async () => {
      // RFC 7518 §3.3: RS256/PS256 need a 2048-bit key; our signer refuses such a key, so the JWS is made by hand.
      const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const weakLeaf = certify('partner-x', weak.publicKey, devIntermediate, devIntermediate.key);
      const header = {
        alg: 'RS256',
        typ: 'xborder-attestation+jwt',
        x5c: [weakLeaf.toString('base64'), devIntermediate.der.toString('base64')],
      };
      const input = `${b64u(header)}.${b64u(claims('partner-x'))}`;
      const signature = sign('sha256', Buffer.from(input), weak.privateKey).toString('base64url');
      await expectRefused(`${input}.${signature}`, 'R-EVID-ATTESTATION-INVALID', 'JWS-KEY');
    });

    it('refuses an expired attestation, an expired and a not-yet-valid partner certificate: R-EVID-ATTESTATION-EXPIRED', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expectRefused(
        (
          await attest('partner-x', devIntermediate, {
            claims: { iat: now - 7200, nbf: now - 7200, exp: now - 60 },
          })
        ).jws,
        'R-EVID-ATTESTATION-EXPIRED',
      );
      const expired = { notBefore: new Date(Date.now() - 10 * day), notAfter: new Date(Date.now() - day) };
      await expectRefused(
        (await attest('partner-x', devIntermediate, { cert: expired })).jws,
        'R-EVID-ATTESTATION-EXPIRED',
        'CHAIN-EXPIRED',
      );
      const notYet = { notBefore: new Date(Date.now() + day), notAfter: new Date(Date.now() + 10 * day) };
      await expectRefused(
        (await attest('partner-x', devIntermediate, { cert: notYet })).jws,
        'R-EVID-ATTESTATION-EXPIRED',
        'CHAIN-NOT-YET-VALID',
      );
    });

    it('refuses a partner certificate revoked in the registry (POST /v1/revocations): R-EVID-ATTESTATION-REVOKED', async () => {
      const { jws, leaf } = await attest('partner-revoked', devIntermediate);
      const revoked = await request(`${h.url}/v1/revocations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ certificateSha256: sha256Hex(leaf), reason: 'key compromise' }),
      });
      expect(revoked.status).to.equal(201);
      await expectRefused(jws, 'R-EVID-ATTESTATION-REVOKED', 'CHAIN-REVOKED');
    });

    it('refuses a leaf revoked by a CRL in the trust dir, and an intermediate revoked by the root’s CRL: R-EVID-ATTESTATION-REVOKED', async () => {
      const serial = Buffer.from('7e57c0de01', 'hex');
      await expectRefused(
        (await attest('partner-crl-revoked', revokedLeafCa, { chain: [revokedLeafCa], cert: { serial } }))
          .jws,
        'R-EVID-ATTESTATION-REVOKED',
        'is listed on CRL crl-test-ca-a.crl',
      );
      await expectRefused(
        (await attest('partner-crl-b', revokedCa, { chain: [revokedCa] })).jws,
        'R-EVID-ATTESTATION-REVOKED',
        'CRL crl-test-root.crl',
      );
      // Another leaf of CA A, not listed, registers: the CRL is fresh and verifies.
      const kept = await register(
        (await attest('partner-crl-kept', revokedLeafCa, { chain: [revokedLeafCa] })).jws,
      );
      expect(kept.status, JSON.stringify(kept.body)).to.equal(201);
    });

    it('refuses a chain whose issuing CA’s CRL is past its nextUpdate: R-EVID-ATTESTATION-UNTRUSTED (CHAIN-CRL-STALE)', async () => {
      await expectRefused(
        (await attest('partner-crl-c', staleCa, { chain: [staleCa] })).jws,
        'R-EVID-ATTESTATION-UNTRUSTED',
        'CHAIN-CRL-STALE',
      );
    });
  });

  describe('GET /v1/filings?expiring=true', () => {
    before(async () => {
      const reviewer = await h.token('reviewer', 'rev-1');
      const dateIn = (days: number) => chinaDate(days);
      const filing = (validUntil: string, status = 'active') => ({
        kind: 'standard_contract',
        exporterId: exporter,
        partnerIds: ['p-sg'],
        dataCategories: ['order'],
        purposes: ['order fulfilment and delivery'],
        maxIndividuals: 500_000,
        maxSensitiveIndividuals: 0,
        validFrom: dateIn(-300),
        validUntil,
        status,
      });
      for (const [id, body] of [
        ['SCC-SOON', filing(dateIn(20))],
        ['SCC-LATER', filing(dateIn(400))],
        ['SCC-REVOKED-SOON', filing(dateIn(20), 'revoked')],
      ] as const) {
        const answer = await request(`${h.url}/v1/filings/${id}`, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${reviewer}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      }
    });

    const get = async (query: string, role: 'reviewer' | 'enterprise' = 'reviewer') =>
      request(`${h.url}/v1/filings${query}`, {
        headers: {
          Authorization: `Bearer ${role === 'reviewer' ? await h.token('reviewer', 'rev-1') : await h.token('enterprise', 'e', exporter)}`,
        },
      });

    it('lists only active filings inside the 60-working-day window, with expiresAt and workingDaysLeft', async () => {
      const answer = await get('?expiring=true');
      expect(answer.status).to.equal(200);
      expect(answer.body['workingDays']).to.equal(60);
      const items = answer.body['items'] as {
        id: string;
        expiresAt: string;
        workingDaysLeft: number;
        kind: string;
      }[];
      expect(items.map((i) => i.id)).to.deep.equal(['SCC-SOON']);
      expect(items[0]?.kind).to.equal('standard_contract');
      // 20 calendar days hold 14–15 weekdays; the holiday calendar (policies/working-days.yaml) can take up to 6
      // of them (Spring Festival) and add 2 weekend workdays (调休), so the count lies in 8..17 whatever the date.
      expect(items[0]?.workingDaysLeft).to.be.within(8, 17);
      expect(Date.parse(items[0]?.expiresAt ?? '')).to.be.greaterThan(Date.now());
    });

    it('lists every filing without the flag or with expiring=false, and refuses another value (400 BAD_QUERY)', async () => {
      const ids = (a: Answer) => ((a.body['items'] as { id: string }[]) ?? []).map((i) => i.id).sort();
      const all = ['SCC-LATER', 'SCC-REVOKED-SOON', 'SCC-SOON'];
      expect(ids(await get(''))).to.deep.equal(all);
      expect(ids(await get('?expiring=false'))).to.deep.equal(all);
      const bad = await get('?expiring=soon');
      expect(bad.status).to.equal(400);
      expect(bad.body.error?.code).to.equal('BAD_QUERY');
      expect(bad.body.error?.details.map((d) => d.path)).to.deep.equal(['/query/expiring']);
      expect((await get('?expiring=true', 'enterprise')).status).to.equal(403);
    });

    it('exports the count as xborder_filings_expiring on /metrics', async () => {
      const text = await (await fetch(`${h.url}/metrics`)).text();
      expect(text).to.match(/^xborder_filings_expiring 1$/m);
    });
  });
});
