// gateway/load-jwks: reads the JWKS that verifies bearer tokens (api.md §2 XBORDER_AUTH_JWKS) from a file or
// an https URL, once at start. A JWKS that cannot be read stops the boot with the variable's name.
import { readFile } from 'node:fs/promises';
import type { JsonWebKeySet } from '../certs/jws.js';
import { ConfigError } from '../platform/config.js';

function asJwks(value: unknown): JsonWebKeySet {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys)) {
    throw new ConfigError('XBORDER_AUTH_JWKS', 'does not hold a JWKS ({"keys": [...]})');
  }
  return value as JsonWebKeySet;
}

export async function loadJwks(source: string): Promise<JsonWebKeySet> {
  try {
    if (source.startsWith('https://')) {
      const response = await fetch(source, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return asJwks(await response.json());
    }
    return asJwks(JSON.parse(await readFile(source, 'utf8')));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(
      'XBORDER_AUTH_JWKS',
      `cannot read ${source}: ${err instanceof Error ? err.message : String(err)}. Run \`xborder certs init\` for a development issuer.`,
    );
  }
}
