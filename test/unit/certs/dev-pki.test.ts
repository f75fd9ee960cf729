import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { verifyChain } from '../../../certs/chain.js';
import { createDevPki, issuePartnerCert, type DevPki } from '../../../certs/dev-pki.js';
import type { JsonWebKeySet } from '../../../certs/jws.js';
import { loadSigner } from '../../../certs/load-signer.js';
import { parseCertificate } from '../../../certs/certificate.js';
import { parsePem } from '../../../certs/pem.js';
import { signRelease, verifyRelease } from '../../../certs/release.js';
import { createTokenVerifier, mintToken } from '../../../certs/token.js';
import { NOW, daysFromNow } from './test-pki.js';

const read = (file: string): string => readFileSync(file, 'utf8');
const certsIn = (file: string): Buffer[] => parsePem(read(file)) ?? [];
const parse = (der: Buffer | undefined) => {
  const parsed = parseCertificate(der ?? Buffer.alloc(0));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.certificate;
};

describe('certs/dev-pki', () => {
  let dir = '';
  let pki: DevPki;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'xborder-pki-'));
    pki = await createDevPki(dir, { now: NOW });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the documented layout', () => {
    const expected = [
      'ca/root.crt',
      'ca/root.key',
      'ca/intermediate.crt',
      'ca/intermediate.key',
      'gateway/client.crt',
      'gateway/client.key',
      'gateway/signing.crt',
      'gateway/signing.key',
      'gateway/signing-chain.pem',
      'receiver/server.crt',
      'receiver/server.key',
      'receiver/signing.crt',
      'receiver/signing.key',
      'receiver/signing-chain.pem',
      'partners/demo-partner-sg/signing.crt',
      'partners/demo-partner-sg/signing.key',
      'partners/demo-partner-sg/signing-chain.pem',
      'trust/root.crt',
      'auth/issuer.key',
      'auth/jwks.json',
    ];
    expect(pki.written.map((f) => path.relative(dir, f))).to.have.members(expected);
    for (const f of expected) expect(existsSync(path.join(dir, f)), f).to.equal(true);
  });

  it('writes every private key with mode 0600', () => {
    const keys = pki.written.filter((f) => f.endsWith('.key'));
    expect(keys).to.have.length(8);
    for (const key of keys) expect(statSync(key).mode & 0o777, key).to.equal(0o600);
  });

  it('makes every certificate verify to the root in trust/, with the right CN and key type', () => {
    const p = pki.paths;
    const anchors = [read(p.trustRoot)];
    const intermediate = read(p.intermediate.cert);
    const cases: [file: string, cn: string, key: string][] = [
      [p.gatewayClient.cert, 'xborder-gateway', 'ec'],
      [p.gatewaySigning.cert, 'xborder-gateway', 'ed25519'],
      [p.gatewaySigning.chain, 'xborder-gateway', 'ed25519'],
      [p.receiverServer.cert, 'xborder-receiver', 'ec'],
      // Receipts are the partner's (api.md §7: signer CN = the endpoint's partnerId).
      [p.receiverSigning.cert, 'demo-partner-sg', 'ec'],
      [p.partner.cert, 'demo-partner-sg', 'ec'],
    ];
    for (const [file, cn, key] of cases) {
      const [leaf, ...rest] = certsIn(file);
      const result = verifyChain({
        leaf: leaf ?? Buffer.alloc(0),
        intermediates: [...rest, intermediate],
        anchors,
        now: NOW,
        revokedSha256: new Set(),
        expectedCn: cn,
      });
      expect(result.ok ? 'ok' : result.reasons.map((r) => r.message).join('; '), file).to.equal('ok');
      expect(result.ok && result.path[0]?.key.kind, file).to.equal(key);
    }
    expect(read(p.trustRoot)).to.equal(read(p.root.cert));
  });

  it('gives the CAs and TLS certificates their RFC 5280 profile', () => {
    const p = pki.paths;
    const root = parse(certsIn(p.root.cert)[0]);
    expect(root.key).to.deep.equal({ kind: 'rsa', bits: 3072 });
    expect(root.selfIssued).to.equal(true);
    const intermediate = parse(certsIn(p.intermediate.cert)[0]);
    expect(intermediate.basicConstraints).to.deep.equal({ ca: true, pathLen: 0 });
    expect([...(intermediate.keyUsage ?? [])]).to.have.members(['keyCertSign', 'cRLSign']);
    const client = parse(certsIn(p.gatewayClient.cert)[0]);
    expect(client.extKeyUsage).to.deep.equal(['1.3.6.1.5.5.7.3.2']);
    const server = certsIn(p.receiverServer.cert);
    expect(server).to.have.length(2); // TLS cert files carry leaf + intermediate
    expect(parse(server[0]).extKeyUsage).to.deep.equal(['1.3.6.1.5.5.7.3.1']);
    expect(new X509Certificate(server[0] ?? Buffer.alloc(0)).subjectAltName).to.equal(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    const signing = parse(certsIn(p.gatewaySigning.cert)[0]);
    expect([...(signing.keyUsage ?? [])]).to.deep.equal(['digitalSignature']);
    expect(certsIn(p.gatewaySigning.cert)).to.have.length(1);
    expect(certsIn(p.gatewaySigning.chain)).to.have.length(2);
  });

  it('is idempotent: a second run loads everything and writes nothing', async () => {
    const before = read(pki.paths.gatewaySigning.chain);
    const again = await createDevPki(dir, { now: daysFromNow(1) });
    expect(again.written).to.deep.equal([]);
    expect(read(pki.paths.gatewaySigning.chain)).to.equal(before);
  });

  it('re-creates only what is missing, from the existing CA', async () => {
    const rootBefore = read(pki.paths.root.cert);
    unlinkSync(pki.paths.receiverSigning.cert);
    unlinkSync(pki.paths.receiverSigning.key);
    const again = await createDevPki(dir, { now: NOW });
    expect(again.written.map((f) => path.relative(dir, f))).to.have.members([
      'receiver/signing.key',
      'receiver/signing.crt',
      'receiver/signing-chain.pem',
    ]);
    expect(read(pki.paths.root.cert)).to.equal(rootBefore);
  });

  it('refuses a half-present pair rather than overwrite it', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'xborder-pki-half-'));
    try {
      await createDevPki(scratch, { now: NOW });
      unlinkSync(path.join(scratch, 'ca', 'intermediate.key'));
      let error: unknown;
      try {
        await createDevPki(scratch, { now: NOW });
      } catch (err) {
        error = err;
      }
      expect(String(error)).to.contain('intermediate.key is missing');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('re-issues leaves that are about to expire, keeping the CAs', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'xborder-pki-renew-'));
    try {
      const first = await createDevPki(scratch, { now: NOW });
      const rootBefore = read(first.paths.root.cert);
      const renewed = await createDevPki(scratch, { now: daysFromNow(729.5) });
      const names = renewed.written.map((f) => path.relative(scratch, f));
      expect(names).to.include.members(['gateway/signing.crt', 'partners/demo-partner-sg/signing.crt']);
      expect(names).to.not.include('ca/root.crt');
      expect(read(first.paths.root.cert)).to.equal(rootBefore);
      expect(parse(certsIn(first.paths.partner.cert)[0]).notBefore.getTime()).to.be.greaterThan(
        daysFromNow(729).getTime(),
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('issuePartnerCert issues another partner under partners/<id>/ with CN = id, idempotently', async () => {
    const issued = await issuePartnerCert(dir, 'partner-my-kl', { now: NOW });
    expect(issued.written.map((f) => path.relative(dir, f))).to.have.members([
      'partners/partner-my-kl/signing.key',
      'partners/partner-my-kl/signing.crt',
      'partners/partner-my-kl/signing-chain.pem',
    ]);
    const [leaf, intermediate] = certsIn(issued.paths.chain);
    const result = verifyChain({
      leaf: leaf ?? Buffer.alloc(0),
      intermediates: [intermediate ?? Buffer.alloc(0)],
      anchors: [read(pki.paths.trustRoot)],
      now: NOW,
      revokedSha256: new Set(),
      expectedCn: 'partner-my-kl',
    });
    expect(result.ok).to.equal(true);
    expect((await issuePartnerCert(dir, 'partner-my-kl', { now: NOW })).written).to.deep.equal([]);
    expect(
      (await issuePartnerCert(dir, 'partner-my-kl', { now: NOW, replace: true })).written,
    ).to.have.length(3);
    let error: unknown;
    try {
      await issuePartnerCert(dir, '../escape', { now: NOW });
    } catch (err) {
      error = err;
    }
    expect(String(error)).to.contain('partner id');
  });

  it('gateway/signing-chain.pem loads as an EdDSA signer whose releases verify to trust/root.crt', async () => {
    const signer = await loadSigner(pki.paths.gatewaySigning.key, pki.paths.gatewaySigning.chain);
    expect(signer.alg).to.equal('EdDSA');
    const jws = await signRelease(
      {
        transferId: '01JXR5W3Y2B7Q8N4K6M9P0T1VA',
        exporterId: '91450100MA5K8Q7W3T',
        partnerId: 'demo-partner-sg',
        endpointId: 'sg-main',
        sha256: '0'.repeat(64),
        bytes: 0,
        tier: 'free_flow',
        policyVersion: '1',
        iat: Math.floor(NOW.getTime() / 1000),
      },
      signer,
    );
    expect(
      verifyRelease(jws, {
        anchors: [read(pki.paths.trustRoot)],
        now: NOW,
        expectedSignerCn: 'xborder-gateway',
      }).ok,
    ).to.equal(true);
  });

  it('auth/issuer.key mints tokens that auth/jwks.json verifies (kid = RFC 7638 thumbprint)', async () => {
    const jwks = JSON.parse(read(pki.paths.jwks)) as JsonWebKeySet;
    expect(jwks.keys[0]).to.include({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).to.not.have.property('d');
    const token = await mintToken(
      { role: 'admin', sub: 'ops-lead', ttlSeconds: 600 },
      read(pki.paths.issuerKey),
      { issuer: 'xborder-dev', audience: 'xborder', now: NOW },
    );
    const verify = createTokenVerifier({ jwks, issuer: 'xborder-dev', audience: 'xborder' });
    expect(await verify(token, NOW)).to.deep.equal({
      ok: true,
      principal: { sub: 'ops-lead', role: 'admin' },
    });
  });

  it('client and server certificates complete a mutual TLS handshake against the root alone', async function () {
    // The dev certificates are dated from the injected NOW; a real handshake checks the wall clock, so this
    // one test needs its own PKI dated now.
    const live = mkdtempSync(path.join(tmpdir(), 'xborder-pki-tls-'));
    try {
      const p = (await createDevPki(live)).paths;
      const server = createServer(
        {
          cert: read(p.receiverServer.cert),
          key: read(p.receiverServer.key),
          ca: read(p.root.cert),
          requestCert: true,
          rejectUnauthorized: true,
        },
        (socket) => {
          socket.end(
            `hello ${(socket.getPeerCertificate().subject as { CN?: string } | undefined)?.CN ?? '?'}`,
          );
        },
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket: TLSSocket = connect({
          host: '127.0.0.1',
          port,
          servername: 'localhost',
          cert: read(p.gatewayClient.cert),
          key: read(p.gatewayClient.key),
          ca: read(p.root.cert),
        });
        let data = '';
        socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
      expect(answer).to.equal('hello xborder-gateway');
    } finally {
      rmSync(live, { recursive: true, force: true });
    }
  });
});
