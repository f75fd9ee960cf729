// ledger/tile-storage: the narrow storage the tile log needs — whole objects by key, written once, listed by
// prefix. An object store bucket prefix (object-tile-storage.ts) or a directory (file-tile-storage.ts). Types only.

export interface TileStorage {
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Durable once it resolves (log before act: the sequencer acknowledges nothing before its batch is stored). */
  put(key: string, body: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys starting with `prefix`, in no particular order. */
  list(prefix: string): AsyncIterable<string>;
}
