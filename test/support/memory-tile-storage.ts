// test/support/memory-tile-storage: TileStorage in a Map, so the tile layout's unit tests stay pure. Not a stand-in
// for S3 (the integration tests use a real one); it implements the ledger's own narrow interface, nothing more.
import type { TileStorage } from '../../ledger/tile-storage.js';

export interface MemoryTileStorage extends TileStorage {
  readonly objects: Map<string, Uint8Array>;
}

export function createMemoryTileStorage(): MemoryTileStorage {
  const objects = new Map<string, Uint8Array>();
  return {
    objects,
    get: (key) => Promise.resolve(objects.get(key)),
    put(key, body) {
      objects.set(key, Uint8Array.from(body));
      return Promise.resolve();
    },
    delete(key) {
      objects.delete(key);
      return Promise.resolve();
    },
    list(prefix) {
      const keys = [...objects.keys()].filter((key) => key.startsWith(prefix));
      return {
        [Symbol.asyncIterator]: () => {
          let i = 0;
          return {
            next: () =>
              Promise.resolve(
                i < keys.length
                  ? { done: false, value: keys[i++] as string }
                  : { done: true, value: undefined },
              ),
          };
        },
      };
    },
  };
}
