// `xborder certs verify --chain FILE` as built (dist/): prints the verdict with its reason codes and exits 0 for a
// valid chain, 1 for a refused one — also when a CRL in the trust dir revokes the leaf or is past its nextUpdate.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCertificate } from '../../certs/certificate-builder.js';
import { parseCertificate } from '../../certs/certificate.js';
import { buildCrl } from '../../certs/crl-builder.js';
import { devPkiPaths } from '../../certs/dev-pki.js';
import { derToPem, pemToDer } from '../../certs/pem.js';
import { cliPath, runCli } from '../support/processes.js';
import { buildCorpus } from '../conformance/rfc5280-corpus.js';

const partner = 'partner-cli';
const day = 86_400_000;

describe('e2e: xborder certs verify (built CLI)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let env: Record<string, string>;
  let chainFile: string;
  let trustDir: string;

  const verify = (...args: string[]) => {
    const run = spawnSync(process.execPath, [cliPath, 'certs', 'verify', '--chain', chainFile, ...args], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    return { code: run.status, out: run.stdout, err: run.stderr };
  };

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-certs-cli-'));
    env = { XBORDER_DATA_DIR: dataDir, XBORDER_LOG_LEVEL: 'warn' };
    await runCli(['certs', 'init', '--partner', partner], env);
    const pki = devPkiPaths(path.join(dataDir, 'pki'), partner);
    chainFile = pki.partner.chain;
    trustDir = pki.trustDir;
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exits 0 and prints VALID with the path for the partner chain of the development PKI', () => {
    const { code, out } = verify('--cn', partner);
    expect(code, out).to.equal(0);
    expect(out).to.match(/^VALID\n/);
    expect(out).to.contain(`'${partner}'`);
    const json = verify('--cn', partner, '--json');
    expect(JSON.parse(json.out)).to.deep.include({ ok: true });
  });

  it('exits 1 and prints REFUSED with the reason codes for a wrong CN and for a chain from an untrusted root', () => {
    const wrongCn = verify('--cn', 'someone-else');
    expect(wrongCn.code).to.equal(1);
    expect(wrongCn.out).to.match(/^REFUSED\n {2}CHAIN-CN-MISMATCH: /);

    const rogueKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rogue = buildCertificate({
      subject: { cn: 'Rogue Root' },
      subjectKey: rogueKey.publicKey,
      issuer: { selfSignedWith: rogueKey.privateKey },
      notBefore: new Date(Date.now() - day),
      notAfter: new Date(Date.now() + 30 * day),
      ca: {},
      keyUsage: ['keyCertSign'],
    });
    const leafKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const leaf = buildCertificate({
      subject: { cn: partner },
      subjectKey: leafKey.publicKey,
      issuer: { certificate: rogue, privateKey: rogueKey.privateKey },
      notBefore: new Date(Date.now() - day),
      notAfter: new Date(Date.now() + 30 * day),
      keyUsage: ['digitalSignature'],
    });
    const rogueChain = path.join(dataDir, 'rogue-chain.pem');
    writeFileSync(rogueChain, derToPem(leaf) + derToPem(rogue));
    const run = spawnSync(process.execPath, [cliPath, 'certs', 'verify', '--chain', rogueChain, '--json'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(run.status).to.equal(1);
    const verdict = JSON.parse(run.stdout) as { ok: boolean; reasons: { code: string }[] };
    expect(verdict.ok).to.equal(false);
    expect(verdict.reasons.map((r) => r.code)).to.deep.equal(['CHAIN-UNTRUSTED']);
  });

  it('honours CRLs in the trust dir: a listed leaf exits 1 with CHAIN-REVOKED, a stale CRL with CHAIN-CRL-STALE', () => {
    const pki = devPkiPaths(path.join(dataDir, 'pki'), partner);
    const intermediate = {
      certificate: pemToDer(readFileSync(pki.intermediate.cert, 'utf8')) ?? Buffer.alloc(0),
      privateKey: createPrivateKey(readFileSync(pki.intermediate.key, 'utf8')),
    };
    const leaf = parseCertificate(pemToDer(readFileSync(pki.partner.cert, 'utf8')) ?? Buffer.alloc(0));
    if (!leaf.ok) throw new Error(leaf.message);
    const crlFile = path.join(trustDir, 'intermediate.crl');
    try {
      writeFileSync(
        crlFile,
        buildCrl({
          issuer: intermediate,
          thisUpdate: new Date(Date.now() - day),
          nextUpdate: new Date(Date.now() + 7 * day),
          revoked: [{ serialHex: leaf.certificate.serialHex, revokedAt: new Date(Date.now() - day) }],
        }),
      );
      const revoked = verify('--cn', partner);
      expect(revoked.code).to.equal(1);
      expect(revoked.out).to.match(/^REFUSED\n {2}CHAIN-REVOKED: /);

      writeFileSync(
        crlFile,
        buildCrl({
          issuer: intermediate,
          thisUpdate: new Date(Date.now() - 8 * day),
          nextUpdate: new Date(Date.now() - day),
          revoked: [],
        }),
      );
      const stale = verify('--cn', partner);
      expect(stale.code).to.equal(1);
      expect(stale.out).to.match(/^REFUSED\n {2}CHAIN-CRL-STALE: /);
    } finally {
      unlinkSync(crlFile);
    }
    expect(verify('--cn', partner).code).to.equal(0);
  });

  it('--at TIME validates a chain at that instant (ISO 8601 with an offset); a bad TIME exits 2', () => {
    // Two cases of the RFC 5280 corpus, made for 2025-06-01T00:00:00Z and long expired today.
    const corpus = buildCorpus();
    const anchorsDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-certs-at-'));
    try {
      const run = (id: string, ...args: string[]) => {
        const c = corpus.find((x) => x.id === id);
        if (c === undefined) throw new Error(`no corpus case ${id}`);
        for (const [i, der] of c.anchors.entries())
          writeFileSync(path.join(anchorsDir, `anchor-${i}.pem`), derToPem(der));
        const file = path.join(anchorsDir, `${id}.chain`);
        writeFileSync(file, [c.leaf, ...c.intermediates].map((d) => derToPem(d)).join(''));
        const r = spawnSync(
          process.execPath,
          [cliPath, 'certs', 'verify', '--chain', file, '--anchors', anchorsDir, ...args],
          {
            env: { ...process.env, ...env },
            encoding: 'utf8',
          },
        );
        return { code: r.status, out: r.stdout, err: r.stderr };
      };
      const valid = run('dns-permitted-in', '--at', '2025-06-01T08:00:00+08:00');
      expect(valid.code, valid.out + valid.err).to.equal(0);
      expect(valid.out).to.match(/^VALID\n/);
      const now = run('dns-permitted-in');
      expect(now.code).to.equal(1);
      expect(now.out).to.contain('CHAIN-EXPIRED');
      const refused = run('dns-permitted-out', '--at', '2025-06-01T00:00:00Z', '--json');
      expect(refused.code).to.equal(1);
      const verdict = JSON.parse(refused.out) as { reasons: { code: string; message: string }[] };
      expect(verdict.reasons.map((r) => r.code)).to.deep.equal(['CHAIN-NAME-NOT-PERMITTED']);
      expect(verdict.reasons[0]?.message).to.contain('path position 0');
      // A local time without an offset means different instants on different hosts (parse-instant.test.ts).
      const bad = run('dns-permitted-in', '--at', '2025-06-01T00:00:00');
      expect(bad.code).to.equal(2);
      expect(bad.err).to.contain('ISO 8601');
    } finally {
      rmSync(anchorsDir, { recursive: true, force: true });
    }
  });
});
