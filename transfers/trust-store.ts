// transfers/trust-store: the trust material for partner and receiver certificates — PEM anchors and CRL files
// (RFC 5280 §5) in XBORDER_TRUST_DIR. Re-read when a file is added, removed or rewritten (checked at most every
// few seconds), so a new anchor or a fresh CRL needs no restart. Fails closed: an unreadable dir has no anchors.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isTrustFileName, parseTrustFiles, type TrustMaterial } from '../certs/trust-files.js';
import type { RevocationSource } from '../certs/revocation.js';

export interface TrustStore {
  /** PEM text of every certificate in the trust dir. An unreadable dir yields no anchors: fail closed. */
  anchors(): Promise<readonly string[]>;
  /** The trust dir's CRLs as revocation sources for chain validation (empty when none are configured). */
  revocationSources(): Promise<readonly RevocationSource[]>;
  /** Anchors and revocation sources from one reading of the dir. */
  snapshot(): Promise<TrustMaterial>;
}

/** How often the dir is looked at again: a new anchor or CRL takes effect within this time. */
const defaultRecheckMs = 5000;
const empty: TrustMaterial = { anchors: [], crlCount: 0, revocationSources: [] };

export function createTrustStore(dir: string, options: { readonly recheckMs?: number } = {}): TrustStore {
  const recheckMs = options.recheckMs ?? defaultRecheckMs;
  let cached: { at: number; fingerprint: string; material: TrustMaterial } | null = null;

  /** Names, sizes and mtimes: a CRL rewritten in place changes its file's mtime, not the dir's. */
  async function fingerprintOf(names: readonly string[]): Promise<string> {
    const stats = await Promise.all(names.map((n) => stat(path.join(dir, n))));
    return names.map((n, i) => `${n}:${stats[i]?.size ?? -1}:${stats[i]?.mtimeMs ?? -1}`).join('|');
  }

  async function snapshot(): Promise<TrustMaterial> {
    const now = Date.now();
    if (cached !== null && now - cached.at < recheckMs) return cached.material;
    try {
      const names = (await readdir(dir)).filter(isTrustFileName).sort();
      const fingerprint = await fingerprintOf(names);
      if (cached === null || cached.fingerprint !== fingerprint) {
        const files = await Promise.all(
          names.map(async (name) => ({ name, bytes: await readFile(path.join(dir, name)) })),
        );
        cached = { at: now, fingerprint, material: parseTrustFiles(files) };
      } else {
        cached = { ...cached, at: now };
      }
      return cached.material;
    } catch {
      cached = null;
      return empty;
    }
  }

  return {
    snapshot,
    anchors: async () => (await snapshot()).anchors,
    revocationSources: async () => (await snapshot()).revocationSources,
  };
}
