// cli/offline-verifier: what the offline verify commands (`ledger verify`, `ledger verify-receipt`, `audit verify`)
// share — the ledger's verifier from the gateway signing certificate alone, and the one way an invalid answer is
// printed (each reason with its code) and exits.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parsePem } from '../certs/pem.js';
import { ledgerKeyName, ledgerOrigin } from '../ledger/open-event-log.js';
import { exitCodes, UsageError, type ExitCode, type Io } from './cli-io.js';

/** The ledger's name, origin and the Ed25519 public key of its signing certificate (PEM, leaf first). */
export async function ledgerVerifierFrom(certFile: string) {
  const der = parsePem(await readFile(certFile, 'utf8'))?.[0];
  if (der === undefined) throw new UsageError(`${certFile} holds no certificate`);
  return { keyName: ledgerKeyName, publicKey: new X509Certificate(der).publicKey, origin: ledgerOrigin };
}

export function printInvalid(io: Io, reasons: readonly { code: string; message: string }[]): ExitCode {
  io.result(
    { ok: false, reasons },
    () => `INVALID\n${reasons.map((r) => `  ${r.code}: ${r.message}`).join('\n')}`,
  );
  return exitCodes.negative;
}
