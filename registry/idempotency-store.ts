// registry/idempotency-store: Idempotency-Key handling for POST /v1/transfers (api.md §6). A key is claimed
// before the upload is processed, so two concurrent requests with one key cannot both create a transfer.
import type { Redis } from '../platform/redis.js';
import { keys } from './keys.js';

/** Keys live a day: long enough for any client retry loop, short enough to keep Redis bounded. */
export const idempotencyTtlSeconds = 24 * 3600;
/** A claim whose request died (gateway crash) is released after this, so a retry can go through. */
export const claimTtlSeconds = 15 * 60;

export type IdempotencyState =
  | { readonly state: 'claimed' }
  | { readonly state: 'in_progress'; readonly manifestSha256: string }
  | { readonly state: 'done'; readonly manifestSha256: string; readonly transferId: string };

export interface IdempotencyStore {
  /** Claims the key for this manifest, or returns what the key already holds. */
  claim(exporterId: string, key: string, manifestSha256: string): Promise<IdempotencyState>;
  complete(exporterId: string, key: string, manifestSha256: string, transferId: string): Promise<void>;
  /** Gives the key up after a request failed before creating anything. */
  release(exporterId: string, key: string): Promise<void>;
}

export function createIdempotencyStore(redis: Redis): IdempotencyStore {
  return {
    async claim(exporterId, key, manifestSha256) {
      const redisKey = keys.idempotency(exporterId, key);
      const claimed = await redis.set(
        redisKey,
        JSON.stringify({ manifestSha256 }),
        'EX',
        claimTtlSeconds,
        'NX',
      );
      if (claimed === 'OK') return { state: 'claimed' };
      const text = await redis.get(redisKey);
      if (text === null) return this.claim(exporterId, key, manifestSha256);
      const held = JSON.parse(text) as { manifestSha256: string; transferId?: string };
      return held.transferId === undefined
        ? { state: 'in_progress', manifestSha256: held.manifestSha256 }
        : { state: 'done', manifestSha256: held.manifestSha256, transferId: held.transferId };
    },
    async complete(exporterId, key, manifestSha256, transferId) {
      await redis.set(
        keys.idempotency(exporterId, key),
        JSON.stringify({ manifestSha256, transferId }),
        'EX',
        idempotencyTtlSeconds,
      );
    },
    async release(exporterId, key) {
      await redis.del(keys.idempotency(exporterId, key));
    },
  };
}
