// registry/archive/tile-ledger-source: the archiver's LedgerSource over the ledger as C2SP tiles in an object store
// (XBORDER_LEDGER_STORE=s3://…), written by the sequencer alone. The archiver trusts no object it reads: the size it
// serves is that of the latest checkpoint whose signature verifies with the gateway's key and which is consistent
// with the checkpoint verified before it, and each batch of entries is read only if the entries hash, with the
// tiles around them, to that checkpoint's root. Anything else is refused (TileLedgerRefusedError): the archiver
// stops writing and says why, rather than archive a rewritten history. Tile math stays in ledger/tile-reader.ts.
import { verifyCheckpoint, type CheckpointVerifier } from '../../ledger/checkpoint.js';
import { hashEmpty, hashLeaf } from '../../ledger/merkle-hash.js';
import { verifyConsistency } from '../../ledger/merkle-verify.js';
import { CHECKPOINT_PATH } from '../../ledger/tile-math.js';
import { createTileReader } from '../../ledger/tile-reader.js';
import type { TileStorage } from '../../ledger/tile-storage.js';
import type { LedgerSource } from './ledger-source.js';

export class TileLedgerRefusedError extends Error {
  override readonly name = 'TileLedgerRefusedError';
}

export interface TileLedgerSourceOptions {
  readonly storage: TileStorage;
  /** Full tiles read are kept here (they never change). */
  readonly cache?: TileStorage;
  /** The gateway's checkpoint key, name and origin (cli/offline-verifier.ts makes it from the certificate). */
  readonly verifier: CheckpointVerifier & { readonly origin: string };
}

export function openTileLedgerSource(options: TileLedgerSourceOptions): LedgerSource {
  const { storage, verifier } = options;
  const reader = createTileReader({
    storage,
    ...(options.cache === undefined ? {} : { cache: options.cache }),
    origin: verifier.origin,
  });
  // The latest verified checkpoint; the empty tree until the first is read (every tree extends it).
  let trusted = { size: 0, root: hashEmpty() };

  const refuse = (message: string): never => {
    throw new TileLedgerRefusedError(`the ledger in the object store is refused: ${message}`);
  };

  async function size(): Promise<number> {
    const body = await storage.get(CHECKPOINT_PATH);
    if (body === undefined) return trusted.size; // no ledger yet
    const verified = verifyCheckpoint(Buffer.from(body).toString('utf8'), verifier);
    if (!verified.ok)
      return refuse(
        `its checkpoint does not verify with the gateway's key (${verified.reasons.map((r) => `${r.code}: ${r.message}`).join('; ')})`,
      );
    const { size: next, rootHash } = verified.checkpoint;
    // A stale sequencer may put back an older checkpoint: still signed, it must be a prefix of the trusted tree.
    const [from, to, fromRoot, toRoot] =
      next >= trusted.size
        ? [trusted.size, next, trusted.root, rootHash]
        : [next, trusted.size, rootHash, trusted.root];
    reader.observe(to);
    const proof = await reader.consistencyProof(from, to);
    const consistent = verifyConsistency(from, to, fromRoot, toRoot, proof);
    if (!consistent.ok)
      return refuse(
        `the checkpoint of size ${next} is not consistent with the one of size ${trusted.size} verified before (${consistent.reason})`,
      );
    if (next > trusted.size) trusted = { size: next, root: rootHash };
    return trusted.size;
  }

  async function read(from: number, count: number): Promise<Uint8Array[]> {
    const at = trusted;
    if (!Number.isSafeInteger(from) || from < 0 || count < 1 || from + count > at.size)
      throw new RangeError(`entries [${from}, ${from + count}) are not under the verified size ${at.size}`);
    const leaves: Buffer[] = [];
    for (let i = from; i < from + count; i += 1) leaves.push(await reader.getLeaf(i));
    const root = await reader.rootWithLeaves(at.size, from, leaves.map(hashLeaf));
    if (!root.equals(at.root))
      return refuse(`entries [${from}, ${from + count}) do not hash to the signed root of size ${at.size}`);
    return leaves;
  }

  return { size, read, close: () => Promise.resolve() };
}
