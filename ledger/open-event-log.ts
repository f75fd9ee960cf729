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
    sequencer: createRedisSequencer({ dir, redis: deps.redis, onError }),
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
