// cli/commands/ledger-command: `xborder ledger verify` — recompute the whole ledger and check every signed
// checkpoint; names the first bad index.
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../platform/config.js';
import { parsePem } from '../../certs/pem.js';
import { verifyLedger } from '../../ledger/verify-ledger.js';
import { ledgerKeyName, ledgerOrigin } from '../../ledger/open-event-log.js';
import { exitCodes, UsageError } from '../cli-io.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

export const ledgerVerifyCommand: Command = {
  path: ['ledger', 'verify'],
  summary: 'verify the whole ledger against its signed checkpoints',
  help: [
    'Usage: xborder ledger verify [--dir DIR] [--cert FILE]',
    '',
    'DIR defaults to <data dir>/ledger; FILE (the gateway signing certificate, PEM) to XBORDER_SIGNING_CERT.',
    'Exit 0 when every leaf, hash and checkpoint verifies; 1 with the first bad index otherwise.',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandArgs(args, { dir: { type: 'string' }, cert: { type: 'string' } });
    const config = loadConfig(process.env);
    const certFile = values.cert ?? config.signing.cert;
    const der = parsePem(await readFile(certFile, 'utf8'))?.[0];
    if (der === undefined) throw new UsageError(`${certFile} holds no certificate`);
    const publicKey = createPublicKey({ key: der, format: 'der', type: 'spki' });
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
