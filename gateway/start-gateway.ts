// gateway/start-gateway: the gateway process's composition root — every dependency is created here from the
// frozen config and passed in. Returns a handle whose close() drains: stop accepting, finish in-flight
// requests, then close queues, ledger and Redis.
import { access, constants } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Express } from 'express';
import type { Config } from '../platform/config.js';
import type { Clock } from '../platform/clock.js';
import { createId } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import { deriveKeys, exporterPseudonymKey, loadMasterKey } from '../platform/master-key.js';
import { createMetrics, zeroKnownLabels } from '../platform/metrics.js';
import { checkOutboundUrl } from '../platform/outbound-guard.js';
import { knownMetricLabels } from '../workers/metric-labels.js';
import { createRedis } from '../platform/redis.js';
import { keyedHash } from '../ledger/keyed-hash.js';
import { openEventLog } from '../ledger/open-event-log.js';
import { loadPolicy } from '../policies/load-policy.js';
import { ftzListsInForce } from '../policies/match-ftz-list.js';
import { createPayloadInspector } from '../inspection/payload-inspector.js';
import { createMinimiser } from '../minimisation/create-minimiser.js';
import { createTokenVerifier } from '../certs/token.js';
import { loadSigner } from '../certs/load-signer.js';
import { createClassifier } from '../registry/classifier.js';
import { expiryWarningWorkingDays, listExpiringFilings } from '../registry/filing-expiry.js';
import { createHeldBacklog } from '../registry/held-backlog.js';
import { openStores } from '../registry/open-stores.js';
import { createGaugeRefresher, isRedisUp } from '../workers/operational-gauges.js';
import { createPipeline } from '../workers/pipeline.js';
import { createTrustStore } from '../workers/trust-store.js';
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
/** Temp files of uploads untouched this long were left by a crash (live ones are written to or timed out). */
const staleUploadMs = 10 * 60_000;

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
  const policy = loadPolicy(config.policyDir, { allowExampleLists: config.allowExampleFtzLists === true });
  // Rules reference §0.1: say at start which FTZ negative list is in force, or that none is.
  const ftzStatus = () => ftzListsInForce(policy, clock.now());
  for (const s of ftzStatus()) {
    const fields = { area: s.area, listId: s.listId, version: s.version, example: s.example };
    if (s.inForce && !s.example) logger.info(`FTZ negative list: ${s.detail}`, fields);
    else logger.warn(`FTZ negative list: ${s.detail}`, fields);
  }
  const keys = deriveKeys(loadMasterKey(config.masterKey, config.dataDir));
  const redis = createRedis(config.redisUrl, {
    connectionName: 'xborder-gateway',
    sentinels: config.redisSentinels,
  });
  redis.on('error', () => undefined);
  const queueConnection = createRedis(config.redisUrl, {
    blocking: true,
    connectionName: 'xborder-gateway-queues',
    sentinels: config.redisSentinels,
  });
  queueConnection.on('error', () => undefined);
  const stores = openStores(redis, config.dataDir, keys.payloadWrapKey);
  const swept = await stores.payloads.sweepTemp(new Date(clock.now().getTime() - staleUploadMs));
  if (swept > 0) logger.info('removed temp files of interrupted uploads', { count: swept });
  const metrics = createMetrics();
  zeroKnownLabels(metrics, knownMetricLabels);
  const signer = await loadSigner(config.signing.key, config.signing.cert);
  const { events, ledger } = await openEventLog({ config, redis, signer, clock, logger });
  const ledgerDir = path.join(config.dataDir, 'ledger');
  const heldBacklog = createHeldBacklog(redis);
  const pipeline = createPipeline(queueConnection, {
    attempts: config.deliveryAttempts,
    backoffMs: config.deliveryBackoffMs,
  });
  const trust = createTrustStore(config.trustDir);
  const classifier = createClassifier({ registry: stores.registry, volume: stores.volume, policy, clock });
  const hashId = (id: string) => keyedHash(keys.ledgerIdKey, id);
  const verifyTokenWith = createTokenVerifier({
    jwks: await loadJwks(config.authJwks),
    issuer: config.authIssuer,
    audience: config.authAudience,
  });

  const submit = createSubmitService({
    clock,
    newId: (now) => createId(now),
    ...stores,
    classifier,
    inspect: (onPersonKeys) =>
      createPayloadInspector({
        personKey: keys.personKey,
        onPersonKeys,
        residentIdSensitive: policy.settings.identity.bareResidentIdSensitive,
        limits: { maxExpandedBytes: config.maxExpandedBytes },
      }),
    minimiser: (exporterId, plan) =>
      createMinimiser({
        plan,
        pseudonymKey: exporterPseudonymKey(keys.pseudonymKey, exporterId),
        isQuasiIdentifier: policy.minimisation.isQuasiIdentifier,
      }),
    minimisationPolicy: policy.minimisation,
    pipeline,
    events,
    metrics,
    logger,
    hashId,
  });
  const review = createReviewService({
    transfers: stores.transfers,
    pipeline,
    events,
    metrics,
    clock,
    hashId,
  });
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
          const [records, queues] = await Promise.all([isRedisUp(redis), isRedisUp(queueConnection)]);
          if (!records || !queues) failing.push('redis');
          // Releases and registry changes are "log before act": a ledger that cannot be written stops them.
          if (!(await isWritable(ledgerDir))) failing.push('ledger');
          return failing;
        },
        detail: () => ({
          policy: {
            policyVersion: policy.policyVersion,
            allowExampleFtzLists: policy.settings.ftz.allowExampleLists,
            ftzLists: ftzStatus(),
          },
        }),
      }),
      createMetricsRoute(
        metrics.registry,
        createGaugeRefresher({
          metrics,
          clock,
          redis,
          pipeline,
          ledger,
          ledgerDir,
          held: {
            count: () => stores.transfers.countByStatus('held'),
            oldestSubmittedAt: () => heldBacklog.oldestSubmittedAt(),
          },
          filingsExpiring: async (now) =>
            listExpiringFilings(
              await stores.registry.listFilings(),
              now,
              expiryWarningWorkingDays,
              policy.workingDays,
            ).length,
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
      }),
      createTransferEvidenceRoute({ transfers: stores.transfers, registry: stores.registry }),
      createExporterVolumeRoute({ volume: stores.volume, thresholds: policy.thresholds, clock }),
      createOpsRoutes(pipeline),
      createClassifyRoute(classifier, policy.minimisation),
      // Before the registry routes, whose GET /v1/filings/:id would take `expiring` for an id.
      createRegistryRoutes({
        registry: stores.registry,
        attestations: createAttestationRegistrar({ registry: stores.registry, trust, events, clock }),
        events,
        clock,
        checkOutboundUrl: (url) => checkOutboundUrl(url, config.endpointAllowedNets),
        calendar: policy.workingDays,
      }),
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
  logger.info('gateway listening', { port, policyVersion: policy.policyVersion });

  return {
    port,
    url: `http://127.0.0.1:${port}`,
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
      await pipeline.close();
      await ledger.close();
      redis.disconnect();
      queueConnection.disconnect();
    },
  };
}
