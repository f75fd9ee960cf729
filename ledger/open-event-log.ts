// ledger/open-event-log: opens the process's view of the ledger for a composition root — the on-disk tree under
// the data dir or C2SP tiles in the object store (XBORDER_LEDGER_STORE), sequenced across processes through
// Redis, checkpoints signed with the gateway's Ed25519 key — and adapts it to the EventLog port every room writes to.
import path from 'node:path';
import type { Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import type { EventLog } from '../platform/event-log.js';
import { describeError, type Logger } from '../platform/logger.js';
import type { Redis } from '../platform/redis.js';
import type { Signer } from '../certs/signer.js';
import { createObjectStoreClient } from '../platform/object-store.js';
import { createFileTileStorage } from './file-tile-storage.js';
import { createLedger, type Ledger } from './ledger.js';
import { createObjectTileStorage } from './object-tile-storage.js';
import { createRedisSequencer } from './redis-sequencer.js';
import { createTileLedger } from './tile-ledger.js';
import { createTileReader } from './tile-reader.js';
import { openTileWriter } from './tile-writer.js';

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
  const ledger =
    deps.config.ledgerStore.kind === 's3'
      ? await openTileEventLedger(deps, onError)
      : await createLedger({
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
            candidate: deps.config.ledgerSequencer,
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

/**
 * The ledger as C2SP tiles in the object store: every process reads the tiles (full ones cached under the data
 * dir); the one holding the sequencer lease writes them and signs checkpoints. A process that needs a checkpoint
 * (a receipt) leaves the size it needs in `<prefix>:checkpoint-wanted`, which the sequencer polls.
 */
async function openTileEventLedger(
  deps: { config: Config; redis: Redis; signer: Signer; clock: Clock },
  onError: (err: unknown) => void,
): Promise<Ledger> {
  const { config, redis } = deps;
  if (config.ledgerStore.kind !== 's3') throw new TypeError('not an object-store ledger');
  const client = createObjectStoreClient(config.objectStore);
  const storage = createObjectTileStorage(client.open(config.ledgerStore));
  const cache = createFileTileStorage(path.join(config.dataDir, 'ledger-tiles'));
  const reader = createTileReader({ storage, cache, origin: ledgerOrigin });
  const prefix = sequencerPrefix(config.redisPrefix);
  const wantedKey = `${prefix}:checkpoint-wanted`;
  const sequencer = createRedisSequencer({
    dir: '',
    prefix,
    redis,
    timeoutMs: appendTimeoutMs,
    retentionMs: computeLedgerRetryWindowMs(config),
    candidate: config.ledgerSequencer,
    onError,
    openStore: (fence) =>
      openTileWriter({
        storage,
        fence,
        origin: ledgerOrigin,
        signer: { keyName: ledgerKeyName, privateKey: deps.signer.privateKey },
        checkpointEvery,
        now: () => deps.clock.now(),
        wantedSize: async () => Number((await redis.get(wantedKey)) ?? 0),
        onTiles: (size) => reader.observe(size),
        onError,
      }),
  });
  const ledger = await createTileLedger({
    reader,
    sequencer,
    // A plain SET (last writer wins) is enough: a waiter whose larger size was overwritten asks again.
    requestCheckpoint: async (size) => {
      await redis.set(wantedKey, String(size), 'PX', 60_000);
    },
    onError,
  });
  return {
    ...ledger,
    async close() {
      await ledger.close();
      client.close();
    },
  };
}
