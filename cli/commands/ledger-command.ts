// cli/commands/ledger-command: `xborder ledger verify` — recompute the whole ledger and check every signed
// checkpoint; names the first bad index.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../platform/config.js';
import { parsePem } from '../../certs/pem.js';
import { verifyLedger } from '../../ledger/verify-ledger.js';
import { verifyReceipt, type LedgerReceipt } from '../../ledger/receipt.js';
import { parseJsonText } from '../../platform/schema.js';
import { ledgerKeyName, ledgerOrigin } from '../../ledger/open-event-log.js';
import { exitCodes, UsageError } from '../cli-io.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

/** The Ed25519 public key of a signing certificate (PEM, leaf first). */
async function publicKeyOf(certFile: string) {
  const der = parsePem(await readFile(certFile, 'utf8'))?.[0];
  if (der === undefined) throw new UsageError(`${certFile} holds no certificate`);
  return new X509Certificate(der).publicKey;
}

export const ledgerVerifyCommand: Command = {
  path: ['ledger', 'verify'],
  help: [
    'Usage: xborder ledger verify [--dir DIR] [--cert FILE]',
    '',
    'DIR defaults to <data dir>/ledger; FILE (the gateway signing certificate, PEM) to XBORDER_SIGNING_CERT.',
    'Exit 0 when every leaf, hash and checkpoint verifies; 1 with the first bad index otherwise.',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandArgs(args, { dir: { type: 'string' }, cert: { type: 'string' } });
    const config = loadConfig(process.env);
    const publicKey = await publicKeyOf(values.cert ?? config.signing.cert);
    const result = await verifyLedger(values.dir ?? path.join(config.dataDir, 'ledger'), {
      keyName: ledgerKeyName,
      publicKey,
      origin: ledgerOrigin,
    });
    io.result(result, () =>
      result.ok ? `OK: ${JSON.stringify(result)}` : `FAILED: ${JSON.stringify(result)}`,
    );
    return result.ok ? exitCodes.ok : exitCodes.negative;
  },
};

export const ledgerVerifyReceiptCommand: Command = {
  path: ['ledger', 'verify-receipt'],
  help: [
    'Usage: xborder ledger verify-receipt FILE --cert GATEWAY_SIGNING_CERT',
    '',
    'FILE is the JSON of GET /v1/transfers/:id/receipt. Needs nothing else but the gateway signing',
    "certificate (PEM): checks the checkpoint's Ed25519 signature, then the entry's inclusion proof against",
    'the signed root, and prints the entry. --cert defaults to XBORDER_SIGNING_CERT. Exit 0 valid, 1 not.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { cert: { type: 'string' } }, 1);
    const file = positionals[0];
    if (file === undefined) throw new UsageError('FILE is required');
    const parsed = parseJsonText(await readFile(file, 'utf8'));
    if (!parsed.ok) throw new UsageError(`${file} is not JSON`);
    const publicKey = await publicKeyOf(values.cert ?? loadConfig(process.env).signing.cert);
    // verifyReceipt checks the shape itself and never throws: an arbitrary object is safe to pass.
    const result = verifyReceipt(parsed.value as LedgerReceipt, {
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
    const entry = JSON.parse(result.leaf.toString('utf8')) as unknown;
    io.result({ ok: true, index: result.index, treeSize: result.checkpoint.size, entry }, () =>
      [
        `VALID: entry ${result.index} is in the ledger of ${result.checkpoint.size} entries signed by ${ledgerKeyName}`,
        JSON.stringify(entry, null, 2),
      ].join('\n'),
    );
    return exitCodes.ok;
  },
};
