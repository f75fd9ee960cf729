// cli/commands/certs-commands: `xborder certs init | issue-partner | verify` — the development PKI and a
// chain check that prints the verdict with its reason codes.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { createDevPki, issuePartnerCert } from '../../certs/dev-pki.js';
import { verifyChain } from '../../certs/chain.js';
import { parsePem } from '../../certs/pem.js';
import { isTrustFileName, parseTrustFiles } from '../../certs/trust-files.js';
import { loadConfig } from '../../platform/config.js';
import { exitCodes, UsageError } from '../cli-io.js';
import { parseCommandArgs, required } from '../args.js';
import type { Command } from '../command.js';

export const certsInitCommand: Command = {
  path: ['certs', 'init'],
  help: [
    'Usage: xborder certs init [--partner ID]',
    '',
    'Creates <data dir>/pki: root and intermediate CAs, the gateway client and signing certificates, the',
    "receiver's server and signing certificates, a demo partner signing certificate, the trust dir and the",
    'development token issuer (JWKS). Existing files are kept. For development only.',
    '--json prints { dir, partnerId, written }. Exit 0, or 3 when the directory cannot be written.',
    '',
    'Example: XBORDER_DATA_DIR=/var/lib/xborder xborder certs init --partner partner-sg-01',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandArgs(args, { partner: { type: 'string' } });
    const config = loadConfig(process.env);
    const pki = await createDevPki(
      path.join(config.dataDir, 'pki'),
      values.partner === undefined ? {} : { partnerId: values.partner },
    );
    io.result({ dir: pki.dir, partnerId: pki.partnerId, written: pki.written }, () =>
      pki.written.length === 0
        ? `Development PKI already present in ${pki.dir}`
        : `Development PKI in ${pki.dir}:\n${pki.written.map((f) => `  wrote ${f}`).join('\n')}`,
    );
    return exitCodes.ok;
  },
};

export const certsIssuePartnerCommand: Command = {
  path: ['certs', 'issue-partner'],
  help: [
    'Usage: xborder certs issue-partner --id PARTNER_ID [--replace]',
    '',
    'Issues <data dir>/pki/partners/<id>/signing.{crt,key} from the development intermediate CA (CN = partner id),',
    'for signing development attestations. An existing certificate is kept unless --replace.',
    '--json prints the paths. Exit 0; 3 when the id is not a partner id or there is no development CA yet.',
    '',
    'Example: xborder certs issue-partner --id partner-my-01',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandArgs(args, { id: { type: 'string' }, replace: { type: 'boolean' } });
    const id = required(values.id, 'id');
    const config = loadConfig(process.env);
    const issued = await issuePartnerCert(path.join(config.dataDir, 'pki'), id, {
      replace: values.replace === true,
    });
    io.result(issued, () => `Partner ${id}: ${issued.paths.cert} (key ${issued.paths.key})`);
    return exitCodes.ok;
  },
};

export const certsVerifyCommand: Command = {
  path: ['certs', 'verify'],
  help: [
    'Usage: xborder certs verify --chain FILE [--anchors DIR] [--cn NAME]',
    '',
    'FILE holds PEM certificates, leaf first. Anchors (.pem/.crt) and CRLs (.crl) come from DIR, by default',
    'XBORDER_TRUST_DIR; a CRL past its nextUpdate refuses the chain (CHAIN-CRL-STALE).',
    'Prints the verdict and its reason codes; exit 0 when valid, 1 when refused.',
    '',
    'Example: xborder certs verify --chain partner-chain.pem --cn partner-sg-01 --json',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      chain: { type: 'string' },
      anchors: { type: 'string' },
      cn: { type: 'string' },
    });
    const chainFile = required(values.chain, 'chain');
    const config = loadConfig(process.env);
    const anchorsDir = values.anchors ?? config.trustDir;
    const certs = parsePem(await readFile(chainFile, 'utf8'));
    if (certs === undefined || certs.length === 0)
      throw new UsageError(`${chainFile} holds no PEM certificate`);
    // The trust dir as the workers read it: anchors, and CRLs (RFC 5280 §5) that fail closed when stale.
    const names = (await readdir(anchorsDir)).filter(isTrustFileName);
    const trust = parseTrustFiles(
      await Promise.all(
        names.map(async (name) => ({ name, bytes: await readFile(path.join(anchorsDir, name)) })),
      ),
    );
    const [leaf, ...intermediates] = certs;
    if (leaf === undefined) throw new UsageError(`${chainFile} holds no certificate`);
    const result = verifyChain({
      leaf,
      intermediates,
      anchors: trust.anchors,
      now: new Date(),
      revokedSha256: new Set(),
      revocationSources: trust.revocationSources,
      ...(values.cn === undefined ? {} : { expectedCn: values.cn }),
    });
    // --json: the verdict with the path's names and fingerprints, or the reasons (not the parsed certificates).
    const verdict = result.ok
      ? { ok: true, path: result.path.map((c) => ({ subjectCn: c.subjectCn ?? null, sha256: c.sha256 })) }
      : { ok: false, reasons: result.reasons };
    io.result(verdict, () =>
      result.ok
        ? `VALID\n  ${result.path.map((c) => `'${c.subjectCn ?? c.sha256}'`).join(' <- ')}`
        : `REFUSED\n${result.reasons.map((r) => `  ${r.code}: ${r.message}`).join('\n')}`,
    );
    return result.ok ? exitCodes.ok : exitCodes.negative;
  },
};
