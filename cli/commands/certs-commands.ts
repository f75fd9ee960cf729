// cli/commands/certs-commands: `xborder certs init | issue-partner | verify` — the development PKI and a
// chain check that prints the verdict with its reason codes.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { createDevPki, issuePartnerCert } from '../../certs/dev-pki.js';
import { verifyChain } from '../../certs/chain.js';
import { parsePem } from '../../certs/pem.js';
import { isTrustFileName, parseTrustFiles } from '../../certs/trust-files.js';
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
  async run(args, io, readConfig) {
    const { values } = parseCommandArgs(args, { partner: { type: 'string' } });
    const config = readConfig();
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
  async run(args, io, readConfig) {
    const { values } = parseCommandArgs(args, { id: { type: 'string' }, replace: { type: 'boolean' } });
    const id = required(values.id, 'id');
    const config = readConfig();
    const issued = await issuePartnerCert(path.join(config.dataDir, 'pki'), id, {
      replace: values.replace === true,
    });
    io.result(issued, () => `Partner ${id}: ${issued.paths.cert} (key ${issued.paths.key})`);
    return exitCodes.ok;
  },
};

/**
 * An ISO 8601 date-time with an explicit offset (`2025-06-01T00:00:00Z`, `2025-06-01T08:00+08:00`). A local
 * time without an offset is refused: the same text means different instants on a China-time host and a UTC one.
 */
export function parseInstant(text: string, option: string): Date {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
  const field = (i: number): number => Number(match?.[i] ?? 0);
  // new Date() would roll 2025-02-30 over to March: each calendar field must be in range for its month.
  const inRange =
    match !== null &&
    field(2) >= 1 &&
    field(2) <= 12 &&
    field(3) >= 1 &&
    field(3) <= new Date(Date.UTC(field(1), field(2), 0)).getUTCDate() &&
    field(4) <= 23 &&
    field(5) <= 59 &&
    field(6) <= 59;
  const date = new Date(text);
  if (!inRange || Number.isNaN(date.getTime()))
    throw new UsageError(
      `--${option} must be an ISO 8601 date-time with an offset, e.g. 2025-06-01T00:00:00Z or 2025-06-01T08:00:00+08:00`,
    );
  return date;
}

export const certsVerifyCommand: Command = {
  path: ['certs', 'verify'],
  help: [
    'Usage: xborder certs verify --chain FILE [--anchors DIR] [--cn NAME] [--at TIME]',
    '',
    'FILE holds PEM certificates, leaf first. Anchors (.pem/.crt) and CRLs (.crl) come from DIR, by default',
    'XBORDER_TRUST_DIR; a CRL past its nextUpdate refuses the chain (CHAIN-CRL-STALE).',
    'The path is validated to RFC 5280 (profile rules, name constraints) at TIME, an ISO 8601 date-time with',
    'an offset (default: now); certificate validity and CRL freshness are judged at that instant.',
    'Prints the verdict and its reason codes; exit 0 when valid, 1 when refused, 2 on a bad option.',
    '',
    'Example: xborder certs verify --chain partner-chain.pem --cn partner-sg-01 --at 2025-06-01T00:00:00Z --json',
  ].join('\n'),
  async run(args, io, readConfig) {
    const { values } = parseCommandArgs(args, {
      chain: { type: 'string' },
      anchors: { type: 'string' },
      cn: { type: 'string' },
      at: { type: 'string' },
    });
    const chainFile = required(values.chain, 'chain');
    const at = values.at === undefined ? new Date() : parseInstant(values.at, 'at');
    const config = readConfig();
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
      now: at,
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
