// ledger/open-event-log: opens the process's view of the ledger for a composition root — the on-disk tree
// under the data dir, sequenced across processes through Redis, checkpoints signed with the gateway's
// Ed25519 key — and adapts it to the EventLog port every room writes to.
import path from 'node:path';
import type { Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import type { EventLog } from '../platform/event-log.js';
import { describeError, type Logger } from '../platform/logger.js';
import type { Redis } from '../platform/redis.js';
import type { Signer } from '../certs/signer.js';
import { createLedger, type Ledger } from './ledger.js';
import { createRedisSequencer } from './redis-sequencer.js';

/** The checkpoint origin line and signature key name (C2SP tlog-checkpoint, signed-note). */
export const ledgerOrigin = 'xborder.gateway/ledger';
export const ledgerKeyName = 'xborder-gateway';

/** A checkpoint at least every 256 entries or 60 seconds: receipts stay fresh without a signature per event. */
const checkpointEvery = { entries: 256, seconds: 60 };

/** An append not acknowledged within this fails with TIMEOUT (the caller's job retries it with the same id). */
const appendTimeoutMs = 60_000;
const dayMs = 24 * 60 * 60 * 1000;

/**
 * How long the ledger recognises a retried event id. The ids callers choose are the workers'
 * `<transfer>:released:<release time>` and `<transfer>:receipt`, repeated by the delivery job when an attempt failed after its
 * append: the job lives through its exponential backoff (BullMQ waits backoff × 2^(n−1) after attempt n, less than
 * backoff × 2^(attempts−1) in all) and each attempt's wait for the endpoint and for a few appends. A crashed
 * worker's job runs again within a minute or two (BullMQ's stalled-job check, the pipeline reconciler) while any
 * worker runs; the day on top covers every worker being down that long. Capped at a year, a bound for Redis.
 */
export function computeLedgerRetryWindowMs(
  config: Pick<Config, 'deliveryAttempts' | 'deliveryBackoffMs' | 'deliveryTimeoutMs'>,
): number {
  const backoff = config.deliveryBackoffMs * 2 ** (config.deliveryAttempts - 1);
  const attempts = config.deliveryAttempts * (config.deliveryTimeoutMs + 4 * appendTimeoutMs);
  return Math.min(backoff + attempts + dayMs, 365 * dayMs);
}

/**
 * The head of the sequencer's Redis keys under XBORDER_REDIS_PREFIX. Under the default prefix it keeps the name
 * it had before prefixes were configurable, so an upgrade finds its sequencer state; any other prefix (a {hash
 * tag} on a cluster) puts the sequencer's keys in the records' slot.
 */
export function sequencerPrefix(redisPrefix: string): string {
  return redisPrefix === 'xb' ? 'xborder:{ledger}' : `${redisPrefix}:ledger`;
}

export async function openEventLog(deps: {
  config: Config;
  redis: Redis;
  signer: Signer;
  clock: Clock;
  logger: Logger;
}): Promise<{ events: EventLog; ledger: Ledger }> {
  const dir = path.join(deps.config.dataDir, 'ledger');
  const onError = (err: unknown) =>
    deps.logger.error('ledger background error', { error: describeError(err) });
  const ledger = await createLedger({
    dir,
    signer: { keyName: ledgerKeyName, privateKey: deps.signer.privateKey },
    origin: ledgerOrigin,
    checkpointEvery,
    now: () => deps.clock.now(),
    sequencer: createRedisSequencer({
      dir,
      redis: deps.redis,
      prefix: sequencerPrefix(deps.config.redisPrefix),
      timeoutMs: appendTimeoutMs,
      retentionMs: computeLedgerRetryWindowMs(deps.config),
      onError,
    }),
    onError,
  });
  const events: EventLog = {
    async append(event) {
      const result = await ledger.append({ ...event, at: deps.clock.now().toISOString() });
      return { index: result.index };
    },
  };
  return { events, ledger };
}
