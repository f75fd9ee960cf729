// platform/master-key: the master key (api.md §2 XBORDER_MASTER_KEY) and the keys derived from it. In
// development, when the variable is unset, a key is generated once under the data dir and reused.
import { hkdfSync, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Keys {
  /** Wraps the per-payload data keys of the payload store. */
  readonly payloadWrapKey: Buffer;
  /** Keys the HMAC of person identifiers (volume counting): never the raw identifier. */
  readonly personKey: Buffer;
  /** Keys the hashes that stand for identifiers in the ledger. */
  readonly ledgerIdKey: Buffer;
  /** Root of the exporters' pseudonym keys (minimisation `pseudonymise`, issue #20); never leaves the gateway. */
  readonly pseudonymKey: Buffer;
}

/** HKDF-SHA256 (RFC 5869) separates the uses, so one leaked derived key does not expose the others. */
function derive(master: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `xborder ${label}`, 32));
}

export function deriveKeys(master: Buffer): Keys {
  return {
    payloadWrapKey: derive(master, 'payload wrap key v1'),
    personKey: derive(master, 'person key v1'),
    ledgerIdKey: derive(master, 'ledger id key v1'),
    pseudonymKey: derive(master, 'pseudonym key v1'),
  };
}

/**
 * One exporter's pseudonym key: HKDF-SHA256 of the pseudonym root with the exporter id as info, so tokens are stable
 * per exporter and differ between exporters (two exporters' files cannot be joined on them).
 */
export function exporterPseudonymKey(pseudonymKey: Buffer, exporterId: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', pseudonymKey, Buffer.alloc(0), `xborder pseudonym ${exporterId}`, 32),
  );
}

export function loadMasterKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured !== undefined) return Buffer.from(configured, 'base64');
  const file = path.join(dataDir, 'master.key');
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === 32) return key;
    throw new Error(`${file} does not hold a base64 32-byte key`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  // Gateway and workers may start together on a fresh data dir. Creating the file in place would let the other
  // read it empty; the key goes to a private file first and link(2) publishes it whole, or fails because another
  // process published first, whose key is then read.
  const staged = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(staged, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(staged, file);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadMasterKey(undefined, dataDir);
    throw err;
  } finally {
    unlinkSync(staged);
  }
}
