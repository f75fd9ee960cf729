// registry/open-stores: creates every Redis- and disk-backed store from one Redis connection, for the
// composition roots of the gateway and the workers.
import path from 'node:path';
import type { Redis } from '../platform/redis.js';
import { keys as defaultKeys, type Keys } from './keys.js';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency-store.js';
import { createPayloadStore, type PayloadStore } from './payload-store.js';
import { createRegistryStore, type RegistryStore } from './registry-store.js';
import { createTransferStore, type TransferStore } from './transfer-store.js';
import { createVolumeStore, type VolumeStore } from './volume-store.js';

export interface Stores {
  readonly registry: RegistryStore;
  readonly transfers: TransferStore;
  readonly volume: VolumeStore;
  readonly idempotency: IdempotencyStore;
  readonly payloads: PayloadStore;
}

/** `payloads` replaces the default file store (XBORDER_PAYLOAD_STORE, registry/open-payload-store.ts). */
export function openStores(
  redis: Redis,
  dataDir: string,
  payloadWrapKey: Buffer,
  keys: Keys = defaultKeys,
  payloads: PayloadStore = createPayloadStore(path.join(dataDir, 'payloads'), payloadWrapKey),
): Stores {
  return {
    registry: createRegistryStore(redis, keys),
    transfers: createTransferStore(redis, keys),
    volume: createVolumeStore(redis, { keys }),
    idempotency: createIdempotencyStore(redis, { keys }),
    payloads,
  };
}
