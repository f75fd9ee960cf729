// workers/trust-store: the trust anchors for partner certificates — PEM files in XBORDER_TRUST_DIR. Re-read
// when the directory changes (checked at most every few seconds), so adding an anchor needs no restart.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface TrustStore {
  /** PEM text of every certificate in the trust dir. An unreadable dir yields no anchors: fail closed. */
  anchors(): Promise<readonly string[]>;
}

const recheckMs = 5000;
const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function createTrustStore(dir: string): TrustStore {
  let cached: { at: number; mtimeMs: number; pems: readonly string[] } | null = null;

  async function load(): Promise<readonly string[]> {
    const names = (await readdir(dir)).filter((n) => /\.(pem|crt)$/i.test(n)).sort();
    const texts = await Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
    return texts.flatMap((text) => text.match(pemBlock) ?? []);
  }

  return {
    async anchors() {
      const now = Date.now();
      if (cached !== null && now - cached.at < recheckMs) return cached.pems;
      try {
        const { mtimeMs } = await stat(dir);
        if (cached === null || cached.mtimeMs !== mtimeMs) cached = { at: now, mtimeMs, pems: await load() };
        else cached = { ...cached, at: now };
        return cached.pems;
      } catch {
        cached = null;
        return [];
      }
    },
  };
}
