// workers/operational-gauges: the gauges that mirror state held elsewhere (Redis, queues, the ledger's files),
// refreshed at scrape time by the gateway's and the workers' /metrics. Redis being down must not fail the
// scrape: then xborder_redis_up reads 0 and the Redis-backed gauges keep their last values.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CHECKPOINTS_FILE } from '../ledger/checkpoint-log.js';
import { parseCheckpoint } from '../ledger/checkpoint.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Clock } from '../platform/clock.js';
import type { Metrics } from '../platform/metrics.js';
import type { Redis } from '../platform/redis.js';
import type { TransferPipeline } from '../transfers/queue-contract.js';

/** A scrape must answer well inside Prometheus' default 10 s timeout, whatever Redis does. */
const pingTimeoutMs = 1000;

export interface GaugeSources {
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly redis: Redis;
  readonly pipeline: TransferPipeline;
  readonly ledger: Ledger;
  /**
   * The ledger directory, whose checkpoints file's mtime is the latest checkpoint's time; undefined for a ledger
   * in an object store, whose checkpoint counts from when this process first saw its size.
   */
  readonly ledgerDir: string | undefined;
  /** Gateway only: the held backlog (count and oldest submission). */
  readonly held?: { count(): Promise<number>; oldestSubmittedAt(): Promise<Date | null> };
  /** How many active filings are inside their extension window now (gateway and workers). */
  readonly filingsExpiring?: (now: Date) => Promise<number>;
  /** How many held transfers wait longer than XBORDER_REVIEW_SLA_HOURS now (api.md §11). */
  readonly reviewsOverdue?: (now: Date) => Promise<number>;
}

export async function isRedisUp(redis: Redis, timeoutMs = pingTimeoutMs): Promise<boolean> {
  // Commands queue while ioredis reconnects; "not ready" is already the answer, without waiting for them.
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([redis.ping().then((answer) => answer === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function createGaugeRefresher(sources: GaugeSources): () => Promise<void> {
  const { metrics, clock } = sources;
  // Without any checkpoint yet, age counts from when this process started watching.
  const startedAt = clock.now().getTime();
  let seenSize = -1;
  let seenAt = startedAt;

  async function refreshLedger(): Promise<void> {
    const now = clock.now().getTime();
    metrics.ledgerEntries.set(sources.ledger.size());
    const note = await sources.ledger.latestCheckpoint();
    const parsed = note === undefined ? undefined : parseCheckpoint(note);
    metrics.ledgerCheckpointEntries.set(parsed?.ok === true ? parsed.checkpoint.size : 0);
    let writtenAt = startedAt;
    if (sources.ledgerDir === undefined) {
      const size = parsed?.ok === true ? parsed.checkpoint.size : -1;
      if (size !== seenSize) [seenSize, seenAt] = [size, now];
      writtenAt = seenAt;
    } else if (note !== undefined) {
      try {
        writtenAt = (await stat(path.join(sources.ledgerDir, CHECKPOINTS_FILE))).mtimeMs;
      } catch {
        // unreadable: keep the process start, so the age grows and the alert can fire
      }
    }
    metrics.ledgerCheckpointAge.set(Math.max(0, (now - writtenAt) / 1000));
  }

  async function refreshFromRedis(): Promise<void> {
    for (const { queue, state, count } of await sources.pipeline.jobCounts())
      metrics.queueJobs.set({ queue, state }, count);
    const now = clock.now();
    if (sources.held !== undefined) {
      metrics.transfersHeld.set(await sources.held.count());
      const oldest = await sources.held.oldestSubmittedAt();
      metrics.heldOldest.set(oldest === null ? 0 : Math.max(0, (now.getTime() - oldest.getTime()) / 1000));
    }
    if (sources.filingsExpiring !== undefined)
      metrics.filingsExpiring.set(await sources.filingsExpiring(now));
    if (sources.reviewsOverdue !== undefined) metrics.reviewsOverdue.set(await sources.reviewsOverdue(now));
  }

  return async () => {
    await refreshLedger();
    const up = await isRedisUp(sources.redis);
    metrics.redisUp.set(up ? 1 : 0);
    if (!up) return;
    try {
      await refreshFromRedis();
    } catch {
      // Redis went away between PING and the reads: say so rather than fail the whole scrape.
      metrics.redisUp.set(0);
    }
  };
}
