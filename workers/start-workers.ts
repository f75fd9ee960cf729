// workers/start-workers: the workers process's composition root — the check, release and delivery workers,
// the Redis and (with XBORDER_DATABASE_URL) archive retention sweeps, and their /metrics endpoint on
// XBORDER_METRICS_PORT. Scale out by starting more processes anywhere that
// reaches Redis and the payload store. close() lets in-flight jobs finish before it returns.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../platform/config.js';
import type { Clock } from '../platform/clock.js';
import { describeError, type Logger } from '../platform/logger.js';
import { createClassifier } from '../transfers/classify-transfer.js';
import { createRetentionSweeper } from '../registry/retention.js';
import { startArchiveRetention } from '../registry/archive/run-archive-retention.js';
import { openDatabase } from '../platform/database.js';
import { createEvidenceChecker } from '../transfers/check-evidence.js';
import { openProcess } from './open-process.js';
import { createGaugeRefresher, isRedisUp } from './operational-gauges.js';
import { createJobProbe, createWebhookQueue, startWorker } from './pipeline.js';
import { queueNames, type CheckJob, type TransferJob, type WebhookJob } from '../transfers/queue-contract.js';
import { createCheckProcessor } from './process-check.js';
import { createDeliveryProcessor } from './process-delivery.js';
import { createReleaseProcessor } from './process-release.js';
import { createPipelineReconciler } from './reconcile-pipeline.js';
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
  base: {
    clock: Clock;
    logger: Logger;
    metricsPort?: number;
    /** How often the archive retention sweep runs (hourly when absent). */
    archiveRetentionEveryMs?: number;
  },
): Promise<RunningWorkers> {
  const { clock, logger } = base;
  const core = await openProcess(config, { clock, logger, name: 'workers' });
  const { policy, redis, queueConnection, stores, metrics, signer, events, ledger, pipeline, trust } = core;
  const [tlsCert, tlsKey, tlsCa] = await Promise.all([
    readFile(config.tls.cert, 'utf8'),
    readFile(config.tls.key, 'utf8'),
    readFile(config.tls.ca, 'utf8'),
  ]);

  // api.md §11: transfer events are raised where transitions happen, by the store every transition goes through.
  const webhooks = createWebhookStore(redis, config.redisPrefix);
  const webhookQueue = createWebhookQueue(
    queueConnection,
    { attempts: config.webhookAttempts, backoffMs: config.webhookBackoffMs },
    config.queuePrefix,
  );
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
    policyVersion: policy.policyVersion,
    evidence: createEvidenceChecker({ registry: stores.registry, policy, trust, clock }),
    pipeline,
    trust,
    signer,
    tls: { cert: tlsCert, key: tlsKey, ca: tlsCa },
    deliveryTimeoutMs: config.deliveryTimeoutMs,
    endpointAllowedNets: config.endpointAllowedNets,
  };
  const onError = (err: unknown) => logger.error('worker error', { error: describeError(err) });
  const options = { concurrency: config.workerConcurrency, onError, prefix: config.queuePrefix };
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
    keys: core.redisKeys,
    clock,
    logger,
  }).start(retentionSweepEveryMs);

  // Archive retention (api.md §10): transfers past XBORDER_ARCHIVE_RETENTION_YEARS are decided here, where the
  // ledger can be appended to; the archiver deletes their rows when it reads the decision. One sweep across hosts.
  const archive =
    config.databaseUrl === undefined
      ? undefined
      : openDatabase({ url: config.databaseUrl, applicationName: 'xborder-workers', maxConnections: 2 });
  const archiveRetention =
    archive === undefined
      ? undefined
      : startArchiveRetention({
          db: archive,
          events,
          clock,
          logger,
          years: config.archiveRetentionYears,
          ...(base.archiveRetentionEveryMs === undefined ? {} : { everyMs: base.archiveRetentionEveryMs }),
        });

  // Transfers whose record says work is pending but whose job was never enqueued (a crash between the two).
  const probe = createJobProbe(queueConnection, config.queuePrefix);
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
    ledgerDir: core.ledgerDir,
    filingsExpiring: (now) => core.filingsExpiring(now),
    reviewsOverdue: async (now) =>
      (await listOverdueReviews(stores.transfers, config.reviewSlaMs, now)).length,
  });
  const server: Server = createServer((req, res) => {
    if (req.url === '/readyz') {
      // Readiness as the gateway reports it (api.md §9), with the policy version this process judges under:
      // during a rolling policy change it tells which workers still run the old rulebook.
      void Promise.all([isRedisUp(redis), isRedisUp(queueConnection)]).then(([records, queues]) => {
        const failing = records && queues ? [] : ['redis'];
        res.writeHead(failing.length === 0 ? 200 : 503, { 'Content-Type': 'application/json' }).end(
          JSON.stringify({
            status: failing.length === 0 ? 'ready' : 'not_ready',
            failing,
            detail: {
              policy: { policyVersion: policy.policyVersion },
              payloadStore: core.payloadStore.location,
            },
          }),
        );
      });
      return;
    }
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
      await archiveRetention?.stop();
      await archive?.close();
      reconciler.stop();
      notify.stop();
      await Promise.all(workers.map((w) => w.close()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.close([() => webhookQueue.close(), () => probe.close()]);
    },
  };
}
