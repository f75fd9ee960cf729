// cli/commands/audit-command: `xborder audit verify FILE` — checks an audit bundle (api.md §10) offline with the
// gateway signing certificate alone and prints every problem with its code. Reads files; no network.
import { readFile } from 'node:fs/promises';
import { ledgerKeyName } from '../../ledger/open-event-log.js';
import { verifyAuditBundle } from '../../ledger/verify-audit-bundle.js';
import { parseCommandArgs } from '../args.js';
import { exitCodes, UsageError } from '../cli-io.js';
import { ledgerVerifierFrom, printInvalid } from '../offline-verifier.js';
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
    const verifier = await ledgerVerifierFrom(values.cert ?? readConfig().signing.cert);
    const result = verifyAuditBundle(await readFile(file, 'utf8'), verifier);
    if (!result.ok) return printInvalid(io, result.reasons);
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
