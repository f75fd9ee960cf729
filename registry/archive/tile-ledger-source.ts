// registry/archive/tile-ledger-source: the archiver's LedgerSource over the ledger as C2SP tiles in an object store
// (XBORDER_LEDGER_STORE=s3://…), written by the sequencer alone. The archiver trusts no object it reads: the size it
// serves is that of the latest checkpoint whose signature verifies with the gateway's key and which is consistent
// with the checkpoint verified before it, and each batch of entries is read only if the entries hash, with the
// tiles around them, to that checkpoint's root. "Before it" spans restarts: the archive keeps the checkpoint it
// last trusted beside its position and hands it back (resume), so a forked or rolled-back store put in place while
// the archiver was down is judged against the history the archive already holds, not against the empty tree.
// Anything else is refused (TileLedgerRefusedError): the archiver stops writing and says why, rather than archive
// a rewritten history. Tile math stays in ledger/tile-reader.ts.
import { verifyCheckpoint, type CheckpointVerifier } from '../../ledger/checkpoint.js';
import { hashEmpty, hashLeaf } from '../../ledger/merkle-hash.js';
import { verifyConsistency } from '../../ledger/merkle-verify.js';
import { CHECKPOINT_PATH } from '../../ledger/tile-math.js';
import { createTileReader } from '../../ledger/tile-reader.js';
import type { TileStorage } from '../../ledger/tile-storage.js';
import type { LedgerAnchor, LedgerSource } from './ledger-source.js';

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
  // The latest trusted checkpoint, and where it came from (for the refusal message): the empty tree until the
  // archive's anchor or the first checkpoint is read (every tree extends it).
  let trusted: LedgerAnchor & { readonly seen: string } = {
    size: 0,
    root: hashEmpty(),
    seen: 'verified before',
  };

  const refuse = (message: string): never => {
    throw new TileLedgerRefusedError(`the ledger in the object store is refused: ${message}`);
  };

  /**
   * Takes `next` (`what`, for the message) if it and the trusted tree are one history: the smaller is a prefix of
   * the larger. The larger becomes trusted, so an older checkpoint put back (a stale sequencer, a restored backup)
   * never lowers what is served.
   */
  async function extend(next: LedgerAnchor, what: string, seen: string): Promise<void> {
    const [older, newer] = next.size >= trusted.size ? [trusted, next] : [next, trusted];
    reader.observe(newer.size);
    const proof = await reader.consistencyProof(older.size, newer.size);
    const consistent = verifyConsistency(older.size, newer.size, older.root, newer.root, proof);
    if (!consistent.ok)
      refuse(
        `${what} of size ${next.size} is not consistent with the one of size ${trusted.size} ${trusted.seen} (${consistent.reason})`,
      );
    if (next.size > trusted.size) trusted = { size: next.size, root: next.root, seen };
  }

  async function resume(anchor: LedgerAnchor | undefined): Promise<void> {
    // No anchor: a new archive (nothing to contradict) or one migrated from schema version 4 holding entries but
    // no anchor, which trusts the first checkpoint it reads once; the archiver stores that one in the same step.
    if (anchor === undefined) return;
    if (anchor.size === trusted.size && anchor.root.equals(trusted.root)) return;
    await extend(anchor, "the archive's last trusted checkpoint", 'the archive last trusted');
  }

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
    await extend({ size: next, root: rootHash }, 'the checkpoint', 'verified before');
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

  return {
    size,
    read,
    resume,
    anchor: () => (trusted.size === 0 ? undefined : { size: trusted.size, root: trusted.root }),
    close: () => Promise.resolve(),
  };
}
