// certs/sha256-hex: the certificate fingerprint used across xborder (revocations, ledger, console): lowercase
// hex SHA-256 of the DER bytes. Pure.
import { createHash } from 'node:crypto';

export function sha256Hex(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}
