// registry/archive/ledger-source: what the archiver reads from the ledger — its size and entries in order — and the one
// adapter from the ledger's read-only store to it. The archiver never opens ledger files itself, so a ledger kept
// elsewhere (object-store tiles) needs only another adapter here.
import path from 'node:path';
import { openLedgerStore } from '../../ledger/index.js';

/** A tree of the ledger: its first `size` entries, whose RFC 6962 root hash is `root` (a signed checkpoint's). */
export interface LedgerAnchor {
  readonly size: number;
  readonly root: Buffer;
}

export interface LedgerSource {
  /**
   * The tree the archive last trusted (kept beside its position; undefined when it has none): from now on only a
   * ledger of the same history is served — one extending it, or a prefix of it, which serves no fewer entries.
   * The archiver calls it before reading, and again when another archiver moved the stored one.
   */
  resume(anchor: LedgerAnchor | undefined): Promise<void>;
  /** The tree size() is verified against, for the archive to keep with what it wrote; undefined: none. */
  anchor(): LedgerAnchor | undefined;
  /** Entries durably in the ledger now. */
  size(): Promise<number>;
  /** Leaf bytes of entries [from, from + count), in order (count ≥ 1, from + count ≤ size()). */
  read(from: number, count: number): Promise<Uint8Array[]>;
  close(): Promise<void>;
}

/** The ledger under `<data dir>/ledger`, read-only (no lock taken, no recovery run: the writer owns those). */
export async function openLedgerSource(dataDir: string): Promise<LedgerSource> {
  const store = await openLedgerStore(path.join(dataDir, 'ledger'), { readOnly: true });
  return {
    size: () => Promise.resolve(store.size()),
    read(from, count) {
      const leaves: Uint8Array[] = [];
      for (let i = from; i < from + count; i += 1) leaves.push(store.getLeaf(i));
      return Promise.resolve(leaves);
    },
    // No anchor: the directory is the writer's own on this host, read in place; no signed checkpoint is read
    // here, only each record's length prefix is checked (`xborder ledger verify` checks the directory against
    // its signed checkpoints). So there is nothing to resume from or to anchor, and the archive's stored anchor
    // is left as it is.
    resume: () => Promise.resolve(),
    anchor: () => undefined,
    close: () => store.close(),
  };
}
