// workers/start-workers: the workers process's composition root — the check, release and delivery workers,
// and their /metrics endpoint on XBORDER_METRICS_PORT. Scale out by starting more processes anywhere that
// reaches Redis and the payload store. close() lets in-flight jobs finish before it returns.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Config } from '../platform/config.js';
import type { Clock } from '../platform/clock.js';
import { describeError, type Logger } from '../platform/logger.js';
import { deriveKeys, loadMasterKey } from '../platform/master-key.js';
import { createMetrics, zeroKnownLabels } from '../platform/metrics.js';
import { knownMetricLabels } from './metric-labels.js';
import { createRedis } from '../platform/redis.js';
import { loadSigner } from '../certs/load-signer.js';
import { openEventLog } from '../ledger/open-event-log.js';
import { loadPolicy } from '../policies/load-policy.js';
import { createClassifier } from '../registry/classifier.js';
import { expiryWarningWorkingDays, listExpiringFilings } from '../registry/filing-expiry.js';
import { openStores } from '../registry/open-stores.js';
import { createRetentionSweeper } from '../registry/retention.js';
import { createEvidenceChecker } from './evidence.js';
import { createGaugeRefresher } from './operational-gauges.js';
import {
  createJobProbe,
  createPipeline,
  queueNames,
  startWorker,
  type CheckJob,
  type TransferJob,
  createWebhookQueue,
  type WebhookJob,
} from './pipeline.js';
import { createCheckProcessor } from './process-check.js';
import { createDeliveryProcessor } from './process-delivery.js';
import { createReleaseProcessor } from './process-release.js';
import { createPipelineReconciler } from './reconcile-pipeline.js';
import { createTrustStore } from './trust-store.js';
import { createWebhookStore } from '../registry/webhook-store.js';
import { listOverdueReviews } from '../registry/review-deadline.js';
import { createNotifySweeper } from './notify-sweeper.js';
import { createWebhookProcessor } from './process-webhook.js';
import { withTransferEvents } from './transfer-events.js';
import { createWebhookNotifier } from './webhook-notifier.js';
import type { WorkerDeps } from './worker-deps.js';

/** Retention sweeps this often; each sweep runs until it has caught up or its time budget is spent. */
const retentionSweepEveryMs = 15_000;

export interface RunningWorkers {
  readonly metricsPort: number;
  close(): Promise<void>;
}

/** Reconciliation: every 30 s, transfers at least 60 s in their status (enqueuing follows within ms). */
const reconcileEveryMs = 30_000;
const reconcileGraceMs = 60_000;

export async function startWorkers(
  config: Config,
  base: { clock: Clock; logger: Logger; metricsPort?: number },
): Promise<RunningWorkers> {
  const { clock, logger } = base;
  const policy = loadPolicy(config.policyDir, { allowExampleLists: config.allowExampleFtzLists === true });
  const keys = deriveKeys(loadMasterKey(config.masterKey, config.dataDir));
  const redis = createRedis(config.redisUrl, {
    connectionName: 'xborder-workers',
    sentinels: config.redisSentinels,
  });
  redis.on('error', () => undefined);
  const queueConnection = createRedis(config.redisUrl, {
    blocking: true,
    connectionName: 'xborder-workers-queues',
    sentinels: config.redisSentinels,
  });
  queueConnection.on('error', () => undefined);
  const stores = openStores(redis, config.dataDir, keys.payloadWrapKey);
  const metrics = createMetrics();
  zeroKnownLabels(metrics, knownMetricLabels);
  const signer = await loadSigner(config.signing.key, config.signing.cert);
  const { events, ledger } = await openEventLog({ config, redis, signer, clock, logger });
  const pipeline = createPipeline(queueConnection, {
    attempts: config.deliveryAttempts,
    backoffMs: config.deliveryBackoffMs,
  });
  const trust = createTrustStore(config.trustDir);
  const [tlsCert, tlsKey, tlsCa] = await Promise.all([
    readFile(config.tls.cert, 'utf8'),
    readFile(config.tls.key, 'utf8'),
    readFile(config.tls.ca, 'utf8'),
  ]);

  // api.md §11: transfer events are raised where transitions happen, by the store every transition goes through.
  const webhooks = createWebhookStore(redis);
  const webhookQueue = createWebhookQueue(queueConnection, {
    attempts: config.webhookAttempts,
    backoffMs: config.webhookBackoffMs,
  });
  const notifier = createWebhookNotifier({ webhooks, queue: webhookQueue });
  const transfers = withTransferEvents(stores.transfers, { webhooks, notifier, clock, logger });
  const deps: WorkerDeps = {
    clock,
    logger,
    metrics,
    events,
    ...stores,
    transfers,
    classifier: createClassifier({ registry: stores.registry, volume: stores.volume, policy, clock }),
    evidence: createEvidenceChecker({ registry: stores.registry, policy, trust, clock }),
    pipeline,
    trust,
    signer,
    tls: { cert: tlsCert, key: tlsKey, ca: tlsCa },
    deliveryTimeoutMs: config.deliveryTimeoutMs,
    endpointAllowedNets: config.endpointAllowedNets,
  };
  const onError = (err: unknown) => logger.error('worker error', { error: describeError(err) });
  const options = { concurrency: config.workerConcurrency, onError };
  const workers = [
    startWorker<CheckJob>(queueConnection, queueNames.checks, createCheckProcessor(deps), options),
    startWorker<TransferJob>(queueConnection, queueNames.release, createReleaseProcessor(deps), options),
    startWorker<TransferJob>(queueConnection, queueNames.delivery, createDeliveryProcessor(deps), options),
    startWorker<WebhookJob>(
      queueConnection,
      queueNames.webhooks,
      createWebhookProcessor({
        webhooks,
        clock,
        logger,
        metrics,
        extraCa: tlsCa,
        allowedNets: config.endpointAllowedNets,
      }),
      options,
    ),
  ];
  const notify = createNotifySweeper({
    transfers: stores.transfers,
    registry: stores.registry,
    webhooks,
    notifier,
    clock,
    logger,
    reviewSlaMs: config.reviewSlaMs,
    calendar: policy.workingDays,
  }).start(config.notifySweepMs);

  // Retention: finished transfers leave Redis after XBORDER_RETENTION_SECONDS (one sweeper across processes).
  const retention = createRetentionSweeper({
    redis,
    transfers: stores.transfers,
    payloads: stores.payloads,
    retentionMs: config.retentionSeconds * 1000,
    clock,
    logger,
  }).start(retentionSweepEveryMs);

  // Transfers whose record says work is pending but whose job was never enqueued (a crash between the two).
  const probe = createJobProbe(queueConnection);
  const reconciler = createPipelineReconciler({
    transfers: stores.transfers,
    pipeline,
    probe,
    clock,
    logger,
    graceMs: reconcileGraceMs,
  }).start(reconcileEveryMs);

  const refreshGauges = createGaugeRefresher({
    metrics,
    clock,
    redis,
    pipeline,
    ledger,
    ledgerDir: path.join(config.dataDir, 'ledger'),
    // Provisions 2024 art. 9 extension window, the same count the gateway exports (registry/filing-expiry.ts).
    filingsExpiring: async (now) =>
      listExpiringFilings(
        await stores.registry.listFilings(),
        now,
        expiryWarningWorkingDays,
        policy.workingDays,
      ).length,
    reviewsOverdue: async (now) =>
      (await listOverdueReviews(stores.transfers, config.reviewSlaMs, now)).length,
  });
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    void (async () => {
      await refreshGauges();
      res
        .writeHead(200, { 'Content-Type': metrics.registry.contentType })
        .end(await metrics.registry.metrics());
    })().catch((err: unknown) => {
      logger.error('metrics scrape failed', { error: describeError(err) });
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(base.metricsPort ?? config.metricsPort, config.bindHost, () => resolve());
  });
  const metricsPort = (server.address() as AddressInfo).port;
  logger.info('workers started', {
    metricsPort,
    concurrency: config.workerConcurrency,
    policyVersion: policy.policyVersion,
  });

  return {
    metricsPort,
    async close() {
      retention.stop();
      reconciler.stop();
      notify.stop();
      await Promise.all(workers.map((w) => w.close()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([pipeline.close(), webhookQueue.close()]);
      await probe.close();
      await ledger.close();
      redis.disconnect();
      queueConnection.disconnect();
    },
  };
}
