// workers/open-process: what the gateway's and the workers' composition roots create the same way from the
// frozen config — the policy, the keys, the two Redis connections (records and queues), the stores, the zeroed
// metrics, the signer, the ledger, the pipeline and the trust store — and how they are closed. Each root adds
// its own parts; nothing here starts serving.
import path from 'node:path';
import type { Signer } from '../certs/signer.js';
import { loadSigner } from '../certs/load-signer.js';
import type { Ledger } from '../ledger/ledger.js';
import { openEventLog } from '../ledger/open-event-log.js';
import type { Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import type { EventLog } from '../platform/event-log.js';
import type { Logger } from '../platform/logger.js';
import { deriveKeys, loadMasterKey, type Keys } from '../platform/master-key.js';
import { createMetrics, zeroKnownLabels, type Metrics } from '../platform/metrics.js';
import { createRedis, type Redis } from '../platform/redis.js';
import { loadPolicy } from '../policies/load-policy.js';
import type { Policy } from '../policies/policy.js';
import { createKeys, type Keys as RedisKeys } from '../registry/keys.js';
import { openPayloadStore, type OpenedPayloadStore } from '../registry/open-payload-store.js';
import { openStores, type Stores } from '../registry/open-stores.js';
import { expiryWarningWorkingDays, listExpiringFilings } from '../transfers/filing-expiry.js';
import type { TransferPipeline } from '../transfers/queue-contract.js';
import { createTrustStore, type TrustStore } from '../transfers/trust-store.js';
import { knownMetricLabels } from './metric-labels.js';
import { createPipeline } from './pipeline.js';

/** How long a stopping process waits for BullMQ and the ledger to close cleanly before it drops Redis. */
const closeGraceMs = 5_000;

export interface ProcessCore {
  readonly policy: Policy;
  readonly keys: Keys;
  /** Record key names under XBORDER_REDIS_PREFIX. */
  readonly redisKeys: RedisKeys;
  /** Records, counters and the ledger sequencer. */
  readonly redis: Redis;
  /** BullMQ's blocking connection. */
  readonly queueConnection: Redis;
  readonly stores: Stores;
  /** Where payloads live (XBORDER_PAYLOAD_STORE) and how old an interrupted upload must be to be swept. */
  readonly payloadStore: OpenedPayloadStore;
  readonly metrics: Metrics;
  readonly signer: Signer;
  readonly events: EventLog;
  readonly ledger: Ledger;
  /** The file ledger's directory; undefined when the ledger is in an object store (XBORDER_LEDGER_STORE). */
  readonly ledgerDir: string | undefined;
  readonly pipeline: TransferPipeline;
  readonly trust: TrustStore;
  /** Active filings inside their Provisions 2024 art. 9 extension window now (the gauge both processes export). */
  filingsExpiring(now: Date): Promise<number>;
  /**
   * Closes the pipeline, the ledger and `also` (other queues of the process), then both connections. With Redis
   * gone those closes wait out reconnection attempts, so they get `closeGraceMs`; then the connections are
   * dropped, which ends them.
   */
  close(also?: readonly (() => Promise<void>)[]): Promise<void>;
}

export async function openProcess(
  config: Config,
  deps: { clock: Clock; logger: Logger; name: 'gateway' | 'workers' },
): Promise<ProcessCore> {
  const { clock, logger, name } = deps;
  const policy = loadPolicy(config.policyDir, { allowExampleLists: config.allowExampleFtzLists === true });
  const keys = deriveKeys(loadMasterKey(config.masterKey, config.dataDir));
  const redis = createRedis(config.redisUrl, {
    connectionName: `xborder-${name}`,
    sentinels: config.redisSentinels,
    cluster: config.redisClusterNodes,
  });
  redis.on('error', () => undefined);
  const queueConnection = createRedis(config.redisUrl, {
    blocking: true,
    connectionName: `xborder-${name}-queues`,
    sentinels: config.redisSentinels,
    cluster: config.redisClusterNodes,
  });
  queueConnection.on('error', () => undefined);
  const redisKeys = createKeys(config.redisPrefix);
  const payloadStore = openPayloadStore(config, keys.payloadWrapKey);
  const stores = openStores(redis, config.dataDir, keys.payloadWrapKey, redisKeys, payloadStore.store);
  const metrics = createMetrics();
  zeroKnownLabels(metrics, knownMetricLabels);
  const signer = await loadSigner(config.signing.key, config.signing.cert);
  const { events, ledger } = await openEventLog({ config, redis, signer, clock, logger });
  const pipeline = createPipeline(
    queueConnection,
    {
      attempts: config.deliveryAttempts,
      backoffMs: config.deliveryBackoffMs,
    },
    config.queuePrefix,
  );
  return {
    policy,
    keys,
    redisKeys,
    redis,
    queueConnection,
    stores,
    payloadStore,
    metrics,
    signer,
    events,
    ledger,
    ledgerDir: config.ledgerStore.kind === 's3' ? undefined : path.join(config.dataDir, 'ledger'),
    pipeline,
    trust: createTrustStore(config.trustDir),
    async filingsExpiring(now) {
      const filings = await stores.registry.listFilings();
      return listExpiringFilings(filings, now, expiryWarningWorkingDays, policy.workingDays).length;
    },
    async close(also = []) {
      const graceful = Promise.all([
        pipeline.close().then(() => ledger.close()),
        ...also.map((close) => close()),
      ]).then(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const inTime = await Promise.race([
        graceful.then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), closeGraceMs);
        }),
      ]);
      clearTimeout(timer);
      if (!inTime)
        logger.warn('stopping without a clean close: Redis did not answer', { waitedMs: closeGraceMs });
      payloadStore.close();
      redis.disconnect();
      queueConnection.disconnect();
      // A clean close's errors still reach the caller; an abandoned one settles against dropped connections.
      if (inTime) await graceful;
      else graceful.catch(() => undefined);
    },
  };
}
