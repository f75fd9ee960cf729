// registry/retention: finished transfers leave Redis after a configurable time, so Redis memory stays bounded
// however many transfers pass; the ledger keeps their full history (records must last at least 3 years).
// Payload files go with the last transfer that references their digest. One process sweeps at a time.
import type { Clock } from '../platform/clock.js';
import { createId } from '../platform/ids.js';
import { describeError, type Logger } from '../platform/logger.js';
import type { Redis } from '../platform/redis.js';
import { keys as defaultKeys, type Keys } from './keys.js';
import type { PayloadStore } from './payload-store.js';
import type { TransferStatus } from './transfer.js';
import type { TransferStore } from './transfer-store.js';

/** Final statuses: nothing more can happen to them. (`delivery_failed` waits for ops, `held` for reviewers.) */
export const finishedStatuses: readonly TransferStatus[] = ['released', 'rejected', 'blocked'];

/** Ids read per Redis round trip, so one step never holds Redis or the event loop for long. */
const batchSize = 500;
/**
 * A sweep goes on until every transfer past the cutoff is gone, or this much time has passed; the next sweep
 * continues. Sweeping runs every few seconds, so it keeps up with any rate transfers finish at.
 */
const sweepBudgetMs = 10_000;

export interface RetentionSweeper {
  /** Purges every transfer finished more than the retention time ago; answers how many. */
  sweepOnce(): Promise<number>;
  /** Sweeps every `intervalMs` until stopped. */
  start(intervalMs: number): { stop(): void };
}

export interface RetentionDeps {
  readonly redis: Redis;
  readonly transfers: TransferStore;
  readonly payloads: PayloadStore;
  readonly retentionMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The key space (XBORDER_REDIS_PREFIX); the default prefix when absent. */
  readonly keys?: Keys;
}

/** The smallest id a transfer created at `at` can have: ids before it were created earlier (ULID order). */
function firstIdAt(at: Date): string {
  return createId(at, (size) => Buffer.alloc(size, 0));
}

export function createRetentionSweeper(deps: RetentionDeps): RetentionSweeper {
  const { redis, transfers, payloads, clock } = deps;
  const keys = deps.keys ?? defaultKeys;

  /** A payload is removed when no transfer in Redis references it and it was not stored again lately. */
  async function releasePayload(transferId: string, sha256: string, cutoff: Date): Promise<void> {
    const refs = keys.payloadRefs(sha256);
    await redis.srem(refs, transferId);
    if ((await redis.scard(refs)) > 0) return;
    const storedAt = await payloads.storedAt(sha256);
    // A concurrent upload of the same bytes refreshes the file's time before it adds its reference.
    if (storedAt !== null && storedAt < cutoff) await payloads.remove(sha256);
  }

  async function sweepStatus(status: TransferStatus, cutoff: Date, deadline: number): Promise<number> {
    let purged = 0;
    let after: string | undefined;
    while (Date.now() < deadline) {
      // Created after the cutoff means finished after it too: only older ids can qualify. Purged ids leave the
      // index; `after` steps past the ones that stay (created before the cutoff but finished after it).
      const ids = await transfers.oldestInStatus(status, firstIdAt(cutoff), batchSize, after);
      if (ids.length === 0) break;
      const updated = await transfers.updatedAt(ids);
      for (const [i, id] of ids.entries()) {
        const at = updated[i];
        if (at === null || at === undefined || Date.parse(at) >= cutoff.getTime()) {
          after = id;
          continue;
        }
        const digest = await transfers.purge(id, finishedStatuses);
        if (digest === null) continue;
        purged += 1;
        await releasePayload(id, digest, cutoff);
      }
    }
    return purged;
  }

  async function sweepOnce(): Promise<number> {
    const cutoff = new Date(clock.now().getTime() - deps.retentionMs);
    // One sweeper at a time across processes; the lock outlives no sweep (it expires on its own).
    const locked = await redis.set(keys.retentionLock(), String(process.pid), 'PX', 60_000, 'NX');
    if (locked !== 'OK') return 0;
    try {
      let total = 0;
      const deadline = Date.now() + sweepBudgetMs;
      for (const status of finishedStatuses) total += await sweepStatus(status, cutoff, deadline);
      if (total > 0) deps.logger.info('retention sweep', { purged: total });
      return total;
    } finally {
      await redis.del(keys.retentionLock());
    }
  }

  return {
    sweepOnce,
    start(intervalMs) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        sweepOnce()
          .catch((err: unknown) => deps.logger.error('retention sweep failed', { error: describeError(err) }))
          .finally(() => (running = false));
      }, intervalMs);
      timer.unref();
      return { stop: () => clearInterval(timer) };
    },
  };
}
