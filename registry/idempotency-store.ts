// registry/idempotency-store: Idempotency-Key handling for POST /v1/transfers (api.md §6). A key is claimed
// before the upload is processed, so two concurrent requests with one key cannot both create a transfer.
//
// A claim is a lease, not a lock with a long timeout: the request holding it renews it while it runs, so a
// gateway killed mid-upload frees its keys within one lease (seconds), and a retry goes through instead of
// answering "in progress" for many minutes. Before creating the transfer the holder binds the transfer id it is
// about to create to the claim; a retry that finds a lapsed lease with a bound id looks for that transfer, and
// answers it if it exists (the holder died after creating it) or takes the key over if not (it died before).
// Every step is one Lua script (registry/scripts/*-idempotency-*.lua), compare-and-set on the holder's owner
// token, timed by Redis' own clock.
// Correctness assumes a holder does not stall longer than a lease between its last renewal and its next step;
// the lease is renewed every third of it, so that is a pause of over ten seconds (docs/benchmarks.md).
import { randomBytes } from 'node:crypto';
import { loadLuaScript } from '../platform/lua-script.js';
import type { Redis } from '../platform/redis.js';
import { keys as defaultKeys, type Keys } from './keys.js';

/** Keys live a day: long enough for any client retry loop, short enough to keep Redis bounded. */
export const idempotencyTtlSeconds = 24 * 3600;
/** How long a claim outlives its holder's last renewal: a retry after a gateway crash waits at most this. */
export const claimLeaseMs = 15_000;

export type IdempotencyState =
  /** The key is this request's; `owner` is its token for renew, bind, complete and release. */
  | { readonly state: 'claimed'; readonly owner: string }
  | { readonly state: 'in_progress'; readonly manifestSha256: string; readonly retryAfterMs: number }
  | { readonly state: 'done'; readonly manifestSha256: string; readonly transferId: string };

export interface IdempotencyStore {
  /** The lease the store grants; holders renew every third of it. */
  readonly leaseMs: number;
  /** Claims the key for this manifest, or returns what the key already holds. */
  claim(exporterId: string, key: string, manifestSha256: string): Promise<IdempotencyState>;
  /** Extends the lease; false when the key is no longer this owner's (taken over after a stall). */
  renew(exporterId: string, key: string, owner: string): Promise<boolean>;
  /** Records the id of the transfer about to be created, under the lease; false when the key was lost. */
  bind(exporterId: string, key: string, owner: string, transferId: string): Promise<boolean>;
  /** The transfer exists: the key answers it from now on. False when the key was lost meanwhile. */
  complete(exporterId: string, key: string, owner: string, transferId: string): Promise<boolean>;
  /** Gives the key up after a request failed before creating anything. */
  release(exporterId: string, key: string, owner: string): Promise<void>;
}

function decodeState(
  reply: unknown,
): IdempotencyState | { state: 'orphan'; text: string; transferId: string } | null {
  if (!Array.isArray(reply)) throw new Error('idempotency script answered an unexpected reply');
  const [state, digest, third, fourth] = reply.map(String);
  if (state === 'done') return { state, manifestSha256: digest ?? '', transferId: third ?? '' };
  if (state === 'in_progress') return { state, manifestSha256: digest ?? '', retryAfterMs: Number(third) };
  if (state === 'orphan') return { state, transferId: third ?? '', text: fourth ?? '' };
  return null;
}

export function createIdempotencyStore(
  redis: Redis,
  options: { readonly leaseMs?: number; readonly keys?: Keys } = {},
): IdempotencyStore {
  const leaseMs = options.leaseMs ?? claimLeaseMs;
  const keys = options.keys ?? defaultKeys;
  const claimScript = loadLuaScript(redis, 'registry/scripts/claim-idempotency-key.lua');
  const resolveOrphanScript = loadLuaScript(redis, 'registry/scripts/resolve-idempotency-orphan.lua');
  const renewScript = loadLuaScript(redis, 'registry/scripts/renew-idempotency-key.lua');
  const completeScript = loadLuaScript(redis, 'registry/scripts/complete-idempotency-key.lua');
  const releaseScript = loadLuaScript(redis, 'registry/scripts/release-idempotency-key.lua');

  return {
    leaseMs,
    async claim(exporterId, key, manifestSha256) {
      const redisKey = keys.idempotency(exporterId, key);
      const owner = randomBytes(12).toString('base64url');
      const args = [manifestSha256, owner, leaseMs, idempotencyTtlSeconds];
      // Bounded: each round only repeats when another request changed the key in between.
      for (let round = 0; round < 5; round += 1) {
        const state = decodeState(await claimScript([redisKey], args));
        if (state === null) return { state: 'claimed', owner };
        if (state.state !== 'orphan') return state;
        const resolved = await resolveOrphanScript(
          [redisKey, keys.transfer(state.transferId)],
          [state.text, ...args],
        );
        if (Array.isArray(resolved) && resolved[0] === 'changed') continue;
        const next = decodeState(resolved);
        if (next === null) return { state: 'claimed', owner };
        if (next.state !== 'orphan') return next;
      }
      return { state: 'in_progress', manifestSha256, retryAfterMs: leaseMs };
    },
    async renew(exporterId, key, owner) {
      return (await renewScript([keys.idempotency(exporterId, key)], [owner, leaseMs, ''])) === 1;
    },
    async bind(exporterId, key, owner, transferId) {
      return (await renewScript([keys.idempotency(exporterId, key)], [owner, leaseMs, transferId])) === 1;
    },
    async complete(exporterId, key, owner, transferId) {
      const done = await completeScript(
        [keys.idempotency(exporterId, key)],
        [owner, transferId, idempotencyTtlSeconds],
      );
      return done === 1;
    },
    async release(exporterId, key, owner) {
      await releaseScript([keys.idempotency(exporterId, key)], [owner]);
    },
  };
}
