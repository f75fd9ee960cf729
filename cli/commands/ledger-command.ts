// cli/commands/ledger-command: `xborder ledger verify` — recompute the whole ledger and check every signed
// checkpoint; names the first bad index — and `xborder ledger verify-receipt`, one transfer's receipt offline.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { verifyLedger } from '../../ledger/verify-ledger.js';
import { verifyTileLedger } from '../../ledger/verify-tile-ledger.js';
import { createObjectTileStorage } from '../../ledger/object-tile-storage.js';
import { createObjectStoreClient } from '../../platform/object-store.js';
import { releaseEventTypes, verifyTransferReceipt } from '../../ledger/receipt.js';
import { parseJsonText } from '../../platform/schema.js';
import { ledgerKeyName } from '../../ledger/open-event-log.js';
import { exitCodes, UsageError } from '../cli-io.js';
import { ledgerVerifierFrom, printInvalid } from '../offline-verifier.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

export const ledgerVerifyCommand: Command = {
  path: ['ledger', 'verify'],
  help: [
    'Usage: xborder ledger verify [--dir DIR] [--cert FILE]',
    '',
    'DIR defaults to <data dir>/ledger; FILE (the gateway signing certificate, PEM) to XBORDER_SIGNING_CERT.',
    'With XBORDER_LEDGER_STORE=s3://BUCKET/PREFIX and no --dir, the tiles in the object store are verified.',
    'Exit 0 when every leaf, hash and checkpoint verifies; 1 with the first bad index otherwise.',
  ].join('\n'),
  async run(args, io, readConfig) {
    const { values } = parseCommandArgs(args, { dir: { type: 'string' }, cert: { type: 'string' } });
    const config = readConfig();
    const verifier = await ledgerVerifierFrom(values.cert ?? config.signing.cert);
    const location = config.ledgerStore;
    let result;
    if (values.dir === undefined && location.kind === 's3') {
      const client = createObjectStoreClient(config.objectStore);
      try {
        result = await verifyTileLedger(createObjectTileStorage(client.open(location)), verifier);
      } finally {
        client.close();
      }
    } else {
      result = await verifyLedger(values.dir ?? path.join(config.dataDir, 'ledger'), verifier);
    }
    io.result(result, () =>
      result.ok ? `OK: ${JSON.stringify(result)}` : `FAILED: ${JSON.stringify(result)}`,
    );
    return result.ok ? exitCodes.ok : exitCodes.negative;
  },
};

export const ledgerVerifyReceiptCommand: Command = {
  path: ['ledger', 'verify-receipt'],
  help: [
    'Usage: xborder ledger verify-receipt FILE [--cert GATEWAY_SIGNING_CERT] [--transfer ID]',
    '',
    'FILE is the JSON of GET /v1/transfers/:id/receipt. Needs nothing else but the gateway signing',
    "certificate (PEM): checks the checkpoint's Ed25519 signature, the entry's inclusion proof against the",
    `signed root, then that the entry is the receipt's transfer's release (${releaseEventTypes.join(' or ')}`,
    "with the receipt's transferId); --transfer ID also requires that transfer. Prints the entry.",
    '--cert defaults to XBORDER_SIGNING_CERT. Exit 0 valid, 1 not (with reason codes).',
  ].join('\n'),
  async run(args, io, readConfig) {
    const { values, positionals } = parseCommandArgs(
      args,
      { cert: { type: 'string' }, transfer: { type: 'string' } },
      1,
    );
    const file = positionals[0];
    if (file === undefined) throw new UsageError('FILE is required');
    const parsed = parseJsonText(await readFile(file, 'utf8'));
    if (!parsed.ok) throw new UsageError(`${file} is not JSON`);
    const verifier = await ledgerVerifierFrom(values.cert ?? readConfig().signing.cert);
    // verifyTransferReceipt checks the shape itself and never throws: an arbitrary value is safe to pass.
    const result = verifyTransferReceipt(parsed.value, verifier, values.transfer);
    if (!result.ok) return printInvalid(io, result.reasons);
    io.result(
      {
        ok: true,
        transferId: result.transferId,
        index: result.index,
        treeSize: result.checkpoint.size,
        entry: result.entry,
      },
      () =>
        [
          `VALID: entry ${result.index} (${result.entry.type} of transfer ${result.transferId}) is in the ledger of ${result.checkpoint.size} entries signed by ${ledgerKeyName}`,
          JSON.stringify(result.entry, null, 2),
        ].join('\n'),
    );
    return exitCodes.ok;
  },
};
