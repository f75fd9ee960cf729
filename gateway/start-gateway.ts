// gateway/start-gateway: the gateway process's composition root — every dependency is created here from the
// frozen config and passed in. Returns a handle whose close() drains: stop accepting, finish in-flight
// requests, then close queues, ledger and Redis.
import { access, constants } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Config } from '../platform/config.js';
import type { Clock } from '../platform/clock.js';
import { createId } from '../platform/ids.js';
import { describeError, type Logger } from '../platform/logger.js';
import { exporterPseudonymKey } from '../platform/master-key.js';
import { checkOutboundUrl } from '../platform/outbound-guard.js';
import { keyedHash } from '../ledger/keyed-hash.js';
import { ftzListsInForce } from '../policies/match-ftz-list.js';
import { createPayloadInspector } from '../inspection/payload-inspector.js';
import { createMinimiser } from '../transfers/minimisation/create-minimiser.js';
import { createTokenVerifier } from '../certs/token.js';
import { createClassifier } from '../transfers/classify-transfer.js';
import { createHeldBacklog } from '../registry/held-backlog.js';
import { listenUrl } from '../platform/listen-url.js';
import { openProcess } from '../workers/open-process.js';
import { createGaugeRefresher, isRedisUp } from '../workers/operational-gauges.js';
import { queryExportReport } from '../registry/archive/export-report.js';
import { queryFilingPack } from '../registry/archive/query-filing-pack.js';
import { openArchiveReader } from '../registry/archive/open-archive-reader.js';
import { createWebhookQueue } from '../workers/pipeline.js';
import { withTransferEvents } from '../workers/transfer-events.js';
import { createWebhookNotifier } from '../workers/webhook-notifier.js';
import { createIncidentStore } from '../registry/incident-store.js';
import { listOverdueReviews } from '../registry/review-deadline.js';
import { createWebhookStore } from '../registry/webhook-store.js';
import { createIncidentService } from './incident-service.js';
import { createIncidentRoutes } from './routes/incident-routes.js';
import { createWebhookRoutes } from './routes/webhook-routes.js';
import { createReviewDeadlineRoute } from './routes/review-deadline-route.js';
import { createApp } from './app.js';
import { createAttestationRegistrar } from './attestation-registrar.js';
import { createIntakeHandler } from './intake.js';
import { loadJwks } from './load-jwks.js';
import type { Principal } from './principal.js';
import { createReceiptService } from './receipt-service.js';
import { createReviewService } from './review-service.js';
import { createClassifyRoute } from './routes/classify-route.js';
import { createConsoleRoutes } from './routes/console-routes.js';
import { createExporterVolumeRoute } from './routes/exporter-volume-route.js';
import { createHealthRoutes } from './routes/health-routes.js';
import { createReportRoutes } from './routes/report-routes.js';
import { createAuditBundleRoute } from './routes/audit-bundle-route.js';
import { buildAuditBundle } from '../registry/archive/build-audit-bundle.js';
import { ledgerKeyName, ledgerOrigin } from '../ledger/open-event-log.js';
import { createFilingPackRoutes } from './routes/filing-pack-routes.js';
import { createLedgerRoutes } from './routes/ledger-routes.js';
import { createMeRoute } from './routes/me-route.js';
import { createMetricsRoute } from './routes/metrics-route.js';
import { createOpsRoutes } from './routes/ops-routes.js';
import { createRegistryRoutes } from './routes/registry-routes.js';
import { createTransferEvidenceRoute } from './routes/transfer-evidence-route.js';
import { createTransferRoutes } from './routes/transfer-routes.js';
import { createSubmitService } from './submit-service.js';

export interface RunningGateway {
  readonly port: number;
  readonly url: string;
  /** The Express application, for tests that introspect its routes (the OpenAPI document check). */
  readonly app: Express;
  close(): Promise<void>;
}

/** Slow or stalled uploads must not hold a connection forever (Node's default is 5 minutes per request). */
const headersTimeoutMs = 30_000;
const keepAliveTimeoutMs = 5_000;
/**
 * Uploads are bounded by progress (intake cuts one off after XBORDER_UPLOAD_TIMEOUT_MS without 64 KiB), not by
 * total time: Node's default requestTimeout (5 minutes) would cut a 1 GiB upload slower than 3.5 MB/s. A socket
 * with no traffic at all for this long is closed, whatever route it is on.
 */
const socketIdleTimeoutMs = 120_000;
/** The accept queue (capped by the kernel's net.core.somaxconn, 4096 on current Linux). */
const listenBacklog = 4096;
/** Leftovers of crashed uploads are swept at start and then this often (another gateway's crash included). */
const uploadSweepEveryMs = 3600_000;

async function isWritable(dir: string): Promise<boolean> {
  try {
    await access(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export async function startGateway(
  config: Config,
  deps: { clock: Clock; logger: Logger },
): Promise<RunningGateway> {
  const { clock, logger } = deps;
  const core = await openProcess(config, { clock, logger, name: 'gateway' });
  const { policy, stores, metrics, events, ledger, pipeline } = core;
  // Rules reference §0.1: say at start which FTZ negative list is in force, or that none is.
  const ftzStatus = () => ftzListsInForce(policy, clock.now());
  for (const s of ftzStatus()) {
    const fields = { area: s.area, listId: s.listId, version: s.version, example: s.example };
    if (s.inForce && !s.example) logger.info(`FTZ negative list: ${s.detail}`, fields);
    else logger.warn(`FTZ negative list: ${s.detail}`, fields);
  }
  const sweepUploads = async (): Promise<void> => {
    const swept = await stores.payloads.sweepTemp(
      new Date(clock.now().getTime() - core.payloadStore.staleUploadMs),
    );
    if (swept > 0) logger.info('removed leftovers of interrupted uploads', { count: swept });
  };
  await sweepUploads();
  const uploadSweep = setInterval(
    () =>
      void sweepUploads().catch((err: unknown) =>
        logger.warn('upload sweep failed', { error: err instanceof Error ? err.message : String(err) }),
      ),
    uploadSweepEveryMs,
  );
  uploadSweep.unref();
  const heldBacklog = createHeldBacklog(core.redis, core.redisKeys);
  // api.md §11: intake (held, blocked) and review (rejected) raise transfer events through the wrapped store.
  const webhooks = createWebhookStore(core.redis, config.redisPrefix);
  const webhookQueue = createWebhookQueue(
    core.queueConnection,
    { attempts: config.webhookAttempts, backoffMs: config.webhookBackoffMs },
    config.queuePrefix,
  );
  const notifier = createWebhookNotifier({ webhooks, queue: webhookQueue });
  const transfersWithEvents = withTransferEvents(stores.transfers, { webhooks, notifier, clock, logger });
  const incidents = createIncidentStore(core.redis, config.redisPrefix);
  const classifier = createClassifier({ registry: stores.registry, volume: stores.volume, policy, clock });
  const hashId = (id: string) => keyedHash(core.keys.ledgerIdKey, id);
  const verifyTokenWith = createTokenVerifier({
    jwks: await loadJwks(config.authJwks),
    issuer: config.authIssuer,
    audience: config.authAudience,
  });

  const submit = createSubmitService({
    clock,
    newId: (now) => createId(now),
    ...stores,
    transfers: transfersWithEvents,
    classifier,
    inspect: (onPersonKeys) =>
      createPayloadInspector({
        personKey: core.keys.personKey,
        onPersonKeys,
        residentIdSensitive: policy.settings.identity.bareResidentIdSensitive,
        limits: { maxExpandedBytes: config.maxExpandedBytes },
      }),
    minimiser: (exporterId, plan) =>
      createMinimiser({
        plan,
        pseudonymKey: exporterPseudonymKey(core.keys.pseudonymKey, exporterId),
        isQuasiIdentifier: policy.minimisation.isQuasiIdentifier,
        maxXlsxBytes: config.maxExpandedBytes,
      }),
    minimisationPolicy: policy.minimisation,
    pipeline,
    events,
    metrics,
    logger,
    hashId,
  });
  const review = createReviewService({
    transfers: transfersWithEvents,
    pipeline,
    events,
    metrics,
    clock,
    hashId,
  });
  // The archive (api.md §10), when configured: search beyond Redis retention. Read-only; the archiver migrates.
  const archive = openArchiveReader(config.databaseUrl);
  const app = createApp({
    clock,
    logger,
    metrics,
    verifyToken: async (token, now) => {
      const verified = await verifyTokenWith(token, now);
      if (!verified.ok) return null;
      const { sub, role, exporter } = verified.principal;
      const principal: Principal = exporter === undefined ? { sub, role } : { sub, role, exporter };
      return principal;
    },
    publicRoutes: [
      createHealthRoutes({
        async check() {
          const failing: string[] = [];
          // Both connections: records and the ledger sequencer use one, the queues the other. The policy
          // needs no probe: loadPolicy above refuses to start the process on any problem.
          const [records, queues] = await Promise.all([
            isRedisUp(core.redis),
            isRedisUp(core.queueConnection),
          ]);
          if (!records || !queues) failing.push('redis');
          // Releases and registry changes are "log before act": a ledger that cannot be written stops them.
          // In an object store the probe is a read of its `checkpoint` (the sequencer, wherever it runs, writes).
          const ledgerUp =
            core.ledgerDir === undefined
              ? await ledger.latestCheckpoint().then(
                  () => true,
                  () => false,
                )
              : await isWritable(core.ledgerDir);
          if (!ledgerUp) failing.push('ledger');
          return failing;
        },
        detail: () => ({
          policy: {
            policyVersion: policy.policyVersion,
            allowExampleFtzLists: policy.settings.ftz.allowExampleLists,
            ftzLists: ftzStatus(),
          },
          payloadStore: core.payloadStore.location,
        }),
      }),
      createMetricsRoute(
        metrics.registry,
        createGaugeRefresher({
          metrics,
          clock,
          redis: core.redis,
          pipeline,
          ledger,
          ledgerDir: core.ledgerDir,
          held: {
            count: () => stores.transfers.countByStatus('held'),
            oldestSubmittedAt: () => heldBacklog.oldestSubmittedAt(),
          },
          filingsExpiring: (now) => core.filingsExpiring(now),
          reviewsOverdue: async (now) =>
            (await listOverdueReviews(stores.transfers, config.reviewSlaMs, now)).length,
        }),
      ),
      createConsoleRoutes(),
    ],
    apiRoutes: [
      createMeRoute(),
      createTransferRoutes({
        intake: createIntakeHandler(submit, {
          maxPayloadBytes: config.maxPayloadBytes,
          uploadTimeoutMs: config.uploadTimeoutMs,
        }),
        transfers: stores.transfers,
        review,
        receipts: createReceiptService(ledger),
        ...(archive === undefined
          ? {}
          : {
              archive: archive.search,
              onArchiveError: (err: unknown) =>
                logger.warn('archive unavailable; answering from Redis only', { error: describeError(err) }),
            }),
      }),
      createTransferEvidenceRoute({ transfers: stores.transfers, registry: stores.registry }),
      createExporterVolumeRoute({ volume: stores.volume, thresholds: policy.thresholds, clock }),
      createReportRoutes({
        exports:
          archive === undefined
            ? undefined
            : (year, groupBy, exporterId) => queryExportReport(archive.db, year, groupBy, exporterId),
        onArchiveError: (err: unknown) => logger.warn('archive report failed', { error: describeError(err) }),
      }),
      createAuditBundleRoute({
        build:
          archive === undefined
            ? undefined
            : (query) =>
                buildAuditBundle(
                  {
                    db: archive.db,
                    search: archive.search,
                    ledger,
                    signer: { keyName: ledgerKeyName, privateKey: core.signer.privateKey },
                    origin: ledgerOrigin,
                    now: () => clock.now(),
                  },
                  query,
                ),
        onArchiveError: (err: unknown) => logger.warn('audit bundle failed', { error: describeError(err) }),
      }),
      createFilingPackRoutes({
        filingPack:
          archive === undefined
            ? undefined
            : (exporterId, kind, year) => queryFilingPack(archive.db, exporterId, kind, year),
        clock,
        onArchiveError: (err: unknown) =>
          logger.warn('archive filing pack failed', { error: describeError(err) }),
      }),
      createOpsRoutes(pipeline),
      createClassifyRoute(classifier, policy.minimisation),
      // Before the registry routes, whose GET /v1/filings/:id would take `expiring` for an id.
      createRegistryRoutes({
        registry: stores.registry,
        attestations: createAttestationRegistrar({
          registry: stores.registry,
          trust: core.trust,
          events,
          clock,
        }),
        events,
        clock,
        checkOutboundUrl: (url) => checkOutboundUrl(url, config.endpointAllowedNets),
        calendar: policy.workingDays,
        incidents: createIncidentService({
          transfers: stores.transfers,
          registry: stores.registry,
          incidents,
          events,
          notifier,
          clock,
        }),
      }),
      createWebhookRoutes({
        webhooks,
        events,
        clock,
        checkOutboundUrl: (url) => checkOutboundUrl(url, config.endpointAllowedNets),
      }),
      createIncidentRoutes({ incidents, clock }),
      createReviewDeadlineRoute({ transfers: stores.transfers, clock, reviewSlaMs: config.reviewSlaMs }),
      createLedgerRoutes(ledger),
    ],
  });

  const server: Server = createServer(app);
  server.headersTimeout = headersTimeoutMs;
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.requestTimeout = 0;
  server.timeout = socketIdleTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A burst of connections waits in the kernel's accept queue rather than being reset (Node's default is 511).
    server.listen({ port: config.httpPort, host: config.bindHost, backlog: listenBacklog }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  logger.info('gateway listening', {
    port,
    policyVersion: policy.policyVersion,
    payloadStore: core.payloadStore.location,
  });

  return {
    port,
    url: listenUrl('http', config.bindHost, port),
    app,
    async close() {
      await new Promise<void>((resolve) => {
        // A keep-alive connection turns idle once its in-flight request is answered; closing those as they
        // appear ends the drain then, instead of after the keep-alive timeout.
        const sweep = setInterval(() => server.closeIdleConnections(), 100);
        server.close(() => {
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      });
      clearInterval(uploadSweep);
      await archive?.db.close();
      await core.close([() => webhookQueue.close()]);
    },
  };
}
