// ledger/keyed-hash: identifiers enter the ledger only as keyed hashes (api.md §8: no personal data in the
// ledger). HMAC-SHA256 (RFC 2104) under a secret key, so a hash cannot be reversed by guessing identifiers. Pure.
import { createHmac } from 'node:crypto';

/** Lower-case hex HMAC-SHA256 of the UTF-8 identifier under `key`. */
export function keyedHash(key: Uint8Array, id: string): string {
  if (key.length < 16) throw new RangeError('the HMAC key must be at least 16 bytes');
  return createHmac('sha256', key).update(id, 'utf8').digest('hex');
}
