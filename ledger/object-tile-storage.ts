// ledger/object-tile-storage: TileStorage over the platform object store (an S3 bucket prefix). A plain PUT is
// atomic and durable on S3 once it answers, which is all the tile log asks; no conditional writes are used.
import type { ObjectStore } from '../platform/object-store.js';
import type { TileStorage } from './tile-storage.js';

export function createObjectTileStorage(objects: ObjectStore): TileStorage {
  return {
    get: (key) => objects.getObject(key),
    put: (key, body) => objects.putObject(key, body),
    delete: (key) => objects.deleteObject(key),
    list: (prefix) => objects.listKeys(prefix),
  };
}
