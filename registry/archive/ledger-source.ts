// registry/archive/ledger-source: what the archiver reads from the ledger — its size and entries in order — and the one
// adapter from the ledger's read-only store to it. The archiver never opens ledger files itself, so a ledger kept
// elsewhere (object-store tiles) needs only another adapter here.
import path from 'node:path';
import { openLedgerStore } from '../../ledger/index.js';

export interface LedgerSource {
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
    close: () => store.close(),
  };
}
