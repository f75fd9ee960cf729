// platform/metrics: the one wrapper around prom-client. Every metric of api.md §9 is created here on an
// injected registry (never the global one). Label values come from closed sets: never an id, never personal data.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Stage = 'intake' | 'classify' | 'check' | 'release' | 'delivery';
export type CheckName = 'self_assessment' | 'attestation' | 'filing';
export type CheckResult = 'pass' | 'fail' | 'error';
export type FinishedStatus = 'released' | 'blocked' | 'rejected' | 'delivery_failed';
export type DeliveryOutcome = 'delivered' | 'failed' | 'receipt_invalid' | 'conflict';
export type QueueState = 'waiting' | 'active' | 'delayed' | 'failed' | 'completed' | 'waiting-children';

export interface Metrics {
  readonly registry: Registry;
  readonly transfersSubmitted: Counter<'business_type' | 'tier'>;
  readonly transfersFinished: Counter<'status'>;
  readonly transfersHeld: Gauge;
  readonly checkResults: Counter<'check' | 'result'>;
  readonly checkFailures: Counter<'check' | 'reason'>;
  readonly stageDuration: Histogram<'stage'>;
  readonly submitToRelease: Histogram;
  readonly queueJobs: Gauge<'queue' | 'state'>;
  readonly deliveryBytes: Counter<'endpoint'>;
  readonly deliveryAttempts: Counter<'endpoint' | 'outcome'>;
  readonly inspectionBytes: Counter;
  readonly inspectionFindings: Counter<'detector'>;
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'route' | 'method'>;
  readonly filingsExpiring: Gauge;
  readonly ledgerEntries: Gauge;
  readonly heldOldest: Gauge;
  readonly ledgerCheckpointAge: Gauge;
  readonly ledgerCheckpointEntries: Gauge;
  readonly redisUp: Gauge;
  readonly policyVersionWaits: Counter<'stage'>;
  readonly reviewsOverdue: Gauge;
  readonly webhookDeliveries: Counter<'outcome'>;
}

/**
 * Endpoint labels: endpoint ids are registry records chosen by admins, not personal data, and their set is
 * closed by the registry; they are the per-endpoint breakdown api.md §9 asks for.
 */
export function createMetrics(options: { defaultMetrics: boolean } = { defaultMetrics: true }): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'xborder_process_' });
  const registers = [registry];
  return {
    registry,
    transfersSubmitted: new Counter({
      name: 'xborder_transfers_submitted_total',
      help: 'Transfers accepted at intake, by business type and supervision tier',
      labelNames: ['business_type', 'tier'],
      registers,
    }),
    transfersFinished: new Counter({
      name: 'xborder_transfers_finished_total',
      help: 'Transfers that reached a final status',
      labelNames: ['status'],
      registers,
    }),
    transfersHeld: new Gauge({
      name: 'xborder_transfers_held',
      help: 'Transfers currently held for review',
      registers,
    }),
    checkResults: new Counter({
      name: 'xborder_check_results_total',
      help: 'Evidence check results',
      labelNames: ['check', 'result'],
      registers,
    }),
    checkFailures: new Counter({
      name: 'xborder_check_failures_total',
      help: 'Reasons given by failed evidence checks, by check and reason code (a closed set: the policy files)',
      labelNames: ['check', 'reason'],
      registers,
    }),
    stageDuration: new Histogram({
      name: 'xborder_stage_duration_seconds',
      help: 'Time spent in each pipeline stage',
      labelNames: ['stage'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    submitToRelease: new Histogram({
      name: 'xborder_submit_to_release_seconds',
      help: 'Time from intake to released',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86400],
      registers,
    }),
    queueJobs: new Gauge({
      name: 'xborder_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers,
    }),
    deliveryBytes: new Counter({
      name: 'xborder_delivery_bytes_total',
      help: 'Payload bytes delivered to offshore endpoints',
      labelNames: ['endpoint'],
      registers,
    }),
    deliveryAttempts: new Counter({
      name: 'xborder_delivery_attempts_total',
      help: 'Delivery attempts by endpoint and outcome',
      labelNames: ['endpoint', 'outcome'],
      registers,
    }),
    inspectionBytes: new Counter({
      name: 'xborder_inspection_bytes_total',
      help: 'Payload bytes inspected at intake',
      registers,
    }),
    inspectionFindings: new Counter({
      name: 'xborder_inspection_findings_total',
      help: 'Identifiers found by content inspection, by detector',
      labelNames: ['detector'],
      registers,
    }),
    httpRequests: new Counter({
      name: 'xborder_http_requests_total',
      help: 'HTTP requests by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'xborder_http_request_duration_seconds',
      help: 'HTTP request duration by route template and method',
      labelNames: ['route', 'method'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
      registers,
    }),
    filingsExpiring: new Gauge({
      name: 'xborder_filings_expiring',
      help: 'Active filings inside their extension window (60 working days before expiry)',
      registers,
    }),
    ledgerEntries: new Gauge({
      name: 'xborder_ledger_entries',
      help: 'Entries in the transparency ledger',
      registers,
    }),
    heldOldest: new Gauge({
      name: 'xborder_transfers_held_oldest_seconds',
      help: 'Age of the oldest held transfer, counted from its submission (0 when none is held)',
      registers,
    }),
    ledgerCheckpointAge: new Gauge({
      name: 'xborder_ledger_checkpoint_age_seconds',
      help: 'Seconds since the latest signed ledger checkpoint was written',
      registers,
    }),
    ledgerCheckpointEntries: new Gauge({
      name: 'xborder_ledger_checkpoint_entries',
      help: 'Ledger size covered by the latest signed checkpoint',
      registers,
    }),
    redisUp: new Gauge({
      name: 'xborder_redis_up',
      help: 'Whether Redis answered PING at the last scrape (1) or not (0)',
      registers,
    }),
    policyVersionWaits: new Counter({
      name: 'xborder_policy_version_waits_total',
      help: 'Jobs put back because this worker runs another policy version than the transfer was classified under',
      labelNames: ['stage'],
      registers,
    }),
    reviewsOverdue: new Gauge({
      name: 'xborder_reviews_overdue',
      help: 'Held transfers waiting longer than XBORDER_REVIEW_SLA_HOURS',
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'xborder_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome (delivered, http_error, connect_refused, …)',
      labelNames: ['outcome'],
      registers,
    }),
  };
}

/** The closed label sets a fresh process knows before any event (workers/metric-labels.ts builds them). */
export interface KnownLabels {
  readonly businessTypes: readonly string[];
  readonly tiers: readonly string[];
  readonly finishedStatuses: readonly FinishedStatus[];
  readonly stages: readonly Stage[];
  readonly checkResults: readonly CheckResult[];
  /** Each check with the reason codes it can give. */
  readonly checkReasons: Readonly<Record<CheckName, readonly string[]>>;
  readonly detectors: readonly string[];
}

/**
 * Sets every known label combination to zero, so a fresh deployment's series exist before the first event:
 * `rate()` and `increase()` see a 0 → 1 step instead of a series that appears at 1, and `absent()` alerts do not fire
 * on an idle system (issue 15). Endpoints, routes and HTTP statuses are not known in advance and start at first use.
 */
export function zeroKnownLabels(metrics: Metrics, known: KnownLabels): void {
  for (const business_type of known.businessTypes)
    for (const tier of known.tiers) metrics.transfersSubmitted.inc({ business_type, tier }, 0);
  for (const status of known.finishedStatuses) metrics.transfersFinished.inc({ status }, 0);
  for (const stage of known.stages) metrics.stageDuration.zero({ stage });
  for (const [check, reasons] of Object.entries(known.checkReasons)) {
    for (const result of known.checkResults) metrics.checkResults.inc({ check, result }, 0);
    for (const reason of reasons) metrics.checkFailures.inc({ check, reason }, 0);
  }
  for (const detector of known.detectors) metrics.inspectionFindings.inc({ detector }, 0);
  for (const stage of ['check', 'release'] as const) metrics.policyVersionWaits.inc({ stage }, 0);
  for (const outcome of webhookOutcomes) metrics.webhookDeliveries.inc({ outcome }, 0);
}

/** The archiver's own metrics (`xborder archiver`, api.md §10), on its own registry: other roles do not archive. */
export interface ArchiverMetrics {
  readonly registry: Registry;
  /** Ledger entries not yet in the archive: the lag the alert rule watches. */
  readonly lagEvents: Gauge;
  readonly position: Gauge;
  readonly archivedEntries: Counter;
  readonly batchDuration: Histogram;
  readonly errors: Counter;
}

export function createArchiverMetrics(
  options: { defaultMetrics: boolean } = { defaultMetrics: true },
): ArchiverMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'xborder_process_' });
  const registers = [registry];
  return {
    registry,
    lagEvents: new Gauge({
      name: 'xborder_archive_lag_events',
      help: 'Ledger entries not yet written to the PostgreSQL archive',
      registers,
    }),
    position: new Gauge({
      name: 'xborder_archive_position',
      help: 'Ledger entries archived (the next index the archiver will read)',
      registers,
    }),
    archivedEntries: new Counter({
      name: 'xborder_archive_entries_total',
      help: 'Ledger entries this archiver process wrote to the archive',
      registers,
    }),
    batchDuration: new Histogram({
      name: 'xborder_archive_batch_duration_seconds',
      help: 'Time to project and write one batch of ledger entries (one transaction)',
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    errors: new Counter({
      name: 'xborder_archive_errors_total',
      help: 'Archiver batches that failed (database or ledger unavailable); the batch is retried',
      registers,
    }),
  };
}

/** The closed outcome set of webhook attempts (registry/webhook-store.ts DeliveryOutcome, minus the no-ops). */
export const webhookOutcomes = [
  'delivered',
  'http_error',
  'address_not_allowed',
  'dns_error',
  'connect_refused',
  'unreachable',
  'timeout',
  'tls_error',
  'connection_reset',
  'network_error',
] as const;
