// certs/load-signer: read a signing key and its certificate chain from PEM files (XBORDER_SIGNING_KEY /
// XBORDER_SIGNING_CERT, api.md §2). The room's only file reader for signers; judgement lives elsewhere.
import { readFile } from 'node:fs/promises';
import { createSigner, type Signer, type SignerOptions } from './signer.js';

/** `certChainPath` holds the leaf first, then intermediates (e.g. gateway/signing-chain.pem). */
export async function loadSigner(
  keyPath: string,
  certChainPath: string,
  options: SignerOptions = {},
): Promise<Signer> {
  const [key, chain] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certChainPath, 'utf8')]);
  try {
    return createSigner(key, chain, options);
  } catch (err) {
    throw new Error(`${keyPath} / ${certChainPath}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}
