// cli/commands/audit-command: `xborder audit verify FILE` — checks an audit bundle (api.md §10) offline with the
// gateway signing certificate alone and prints every problem with its code. Reads files; no network.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parsePem } from '../../certs/pem.js';
import { ledgerKeyName, ledgerOrigin } from '../../ledger/open-event-log.js';
import { verifyAuditBundle } from '../../ledger/verify-audit-bundle.js';
import { parseCommandArgs } from '../args.js';
import { exitCodes, UsageError } from '../cli-io.js';
import type { Command } from '../command.js';

export const auditVerifyCommand: Command = {
  path: ['audit', 'verify'],
  help: [
    'Usage: xborder audit verify FILE [--cert GATEWAY_SIGNING_CERT]',
    '',
    'FILE is the file of GET /v1/audit-bundles. Needs nothing else but the gateway signing certificate (PEM,',
    'default XBORDER_SIGNING_CERT): checks the byte form, both checkpoint signatures, the consistency proof, every',
    "inclusion proof, each record's entries and digest, and the seal over the whole file.",
    'Exit 0 valid, 1 not (with reason codes).',
  ].join('\n'),
  async run(args, io, readConfig) {
    const { values, positionals } = parseCommandArgs(args, { cert: { type: 'string' } }, 1);
    const file = positionals[0];
    if (file === undefined) throw new UsageError('FILE is required');
    const certFile = values.cert ?? readConfig().signing.cert;
    const der = parsePem(await readFile(certFile, 'utf8'))?.[0];
    if (der === undefined) throw new UsageError(`${certFile} holds no certificate`);
    const publicKey = new X509Certificate(der).publicKey;
    const result = verifyAuditBundle(await readFile(file, 'utf8'), {
      keyName: ledgerKeyName,
      publicKey,
      origin: ledgerOrigin,
    });
    if (!result.ok) {
      io.result(
        { ok: false, reasons: result.reasons },
        () => `INVALID\n${result.reasons.map((r) => `  ${r.code}: ${r.message}`).join('\n')}`,
      );
      return exitCodes.negative;
    }
    io.result(
      {
        ok: true,
        records: result.records,
        entries: result.entries,
        treeSize: result.checkpoint.size,
        latestSize: result.latest.size,
      },
      () =>
        `VALID: ${result.records} records, ${result.entries} entries, in the ledger of ${result.checkpoint.size} entries (consistent with ${result.latest.size}) signed by ${ledgerKeyName}`,
    );
    return exitCodes.ok;
  },
};
