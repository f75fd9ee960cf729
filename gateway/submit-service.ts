// gateway/submit-service: what happens to an admitted upload — project the exporter's yearly volume,
// classify, record, log and enqueue. Routes call it; it owns no HTTP and no stream handling.
import type { Clock } from '../platform/clock.js';
import { AppError, type FieldIssue } from '../platform/errors.js';
import type { EventLog } from '../platform/event-log.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import type { Manifest } from '../policies/manifest.js';
import type { Classification } from '../policies/classification.js';
import type { InspectionReport } from '../inspection/inspector.js';
import type { IdempotencyStore } from '../registry/idempotency-store.js';
import type { PayloadStore, PayloadWriter, StoredPayload } from '../registry/payload-store.js';
import type { RegistryStore } from '../registry/registry-store.js';
import type { InspectionSummary, TransferRecord, TransferStatus } from '../registry/transfer.js';
import type { TransferStore } from '../registry/transfer-store.js';
import type { PeopleCount, VolumeStore } from '../registry/volume-store.js';
import type { TransferPipeline } from '../transfers/queue-contract.js';
import type { Principal } from './principal.js';
import type { ClassifyService } from '../transfers/classify-transfer.js';

export interface SubmitAnswer {
  readonly id: string;
  readonly status: TransferStatus;
  readonly classification: Classification;
  readonly inspection: {
    readonly bytes: number;
    readonly sha256: string;
    readonly findings: Readonly<Record<string, number>>;
    readonly individualsDetected: number;
    /** Wrappings read and parts that could not be read (api.md §6). */
    readonly containers: InspectionReport['containers'];
    readonly opaque: InspectionReport['opaque'];
  };
}

export interface PayloadInspector {
  write(chunk: Buffer): void;
  /** The report, once every person key found has reached the volume store. */
  finish(): Promise<InspectionReport>;
}

export interface SubmitInput {
  readonly transferId: string;
  readonly manifest: Manifest;
  readonly principal: Principal;
  readonly payload: StoredPayload;
  readonly report: InspectionReport;
}

export interface SubmitService {
  newTransferId(): string;
  checkReferences(manifest: Manifest): Promise<FieldIssue[]>;
  createInspector(transferId: string): PayloadInspector;
  createPayloadWriter(): Promise<PayloadWriter>;
  /** Idempotency-Key claims (leases renewed while the upload runs; see registry/idempotency-store). */
  readonly idempotency: IdempotencyStore;
  answerFor(transferId: string): Promise<SubmitAnswer>;
  submit(input: SubmitInput): Promise<SubmitAnswer>;
}

export interface SubmitDeps {
  readonly clock: Clock;
  readonly newId: (now: Date) => string;
  readonly registry: RegistryStore;
  readonly transfers: TransferStore;
  readonly volume: VolumeStore;
  readonly idempotency: IdempotencyStore;
  readonly payloads: PayloadStore;
  readonly classifier: ClassifyService;
  readonly inspect: (onPersonKeys: (keys: readonly Buffer[], sensitive: boolean) => void) => {
    write(chunk: Buffer): void;
    finish(): InspectionReport;
  };
  readonly pipeline: TransferPipeline;
  readonly events: EventLog;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly hashId: (id: string) => string;
}

export function toAnswer(record: TransferRecord): SubmitAnswer {
  return {
    id: record.id,
    status: record.status,
    classification: record.classification,
    inspection: {
      bytes: record.inspection.bytes,
      sha256: record.inspection.sha256,
      findings: record.inspection.findings,
      individualsDetected: record.inspection.individualsDetected,
      // Records made before inspection read wrappings have neither list.
      containers: record.inspection.containers ?? [],
      opaque: record.inspection.opaque ?? [],
    },
  };
}

function summarise(report: InspectionReport, payload: StoredPayload): InspectionSummary {
  const findings: Record<string, number> = {};
  for (const [detector, finding] of Object.entries(report.findings))
    if (finding !== undefined) findings[detector] = finding.count;
  return {
    bytes: payload.bytes,
    sha256: payload.sha256,
    findings,
    individualsDetected: report.individualsDetected,
    sensitiveIndividualsDetected: report.sensitiveIndividualsDetected,
    containers: report.containers,
    opaque: report.opaque,
    detail: report,
  };
}

export function createSubmitService(deps: SubmitDeps): SubmitService {
  const { registry, transfers, volume, idempotency, clock, metrics } = deps;

  return {
    newTransferId: () => deps.newId(clock.now()),

    async checkReferences(manifest) {
      const [exporter, partner, endpoint] = await Promise.all([
        registry.getExporter(manifest.exporterId),
        registry.getPartner(manifest.partnerId),
        registry.getEndpoint(manifest.endpointId),
      ]);
      const issues: FieldIssue[] = [];
      if (exporter === null) issues.push({ path: '/exporterId', message: 'is not a registered exporter' });
      if (partner === null) issues.push({ path: '/partnerId', message: 'is not a registered partner' });
      if (endpoint === null) issues.push({ path: '/endpointId', message: 'is not a registered endpoint' });
      else if (endpoint.partnerId !== manifest.partnerId)
        issues.push({ path: '/endpointId', message: 'belongs to another partner' });
      else if (endpoint.country !== manifest.destinationCountry) {
        issues.push({
          path: '/destinationCountry',
          message: `does not match the endpoint's country (${endpoint.country})`,
        });
      }
      return issues;
    },

    createInspector(transferId) {
      const pending: Promise<void>[] = [];
      const inspector = deps.inspect((personKeys, sensitive) => {
        pending.push(volume.addTransferPeople(transferId, personKeys, sensitive));
      });
      return {
        write: (chunk) => inspector.write(chunk),
        async finish() {
          const report = inspector.finish();
          await Promise.all(pending);
          return report;
        },
      };
    },

    createPayloadWriter: () => deps.payloads.createWriter(),
    idempotency,

    async answerFor(transferId) {
      const record = await transfers.get(transferId);
      if (record === null) throw new AppError('NOT_FOUND');
      return toAnswer(record);
    },

    async submit({ transferId, manifest, principal, payload, report }) {
      const started = process.hrtime.bigint();
      const now = clock.now();
      const detected: PeopleCount = {
        individuals: report.individualsDetected,
        sensitive: report.sensitiveIndividualsDetected,
      };
      const classification = await deps.classifier.classify(manifest, report, { transferId, detected });
      const status: TransferStatus =
        classification.tier === 'prohibited'
          ? 'blocked'
          : classification.tier === 'manual_review'
            ? 'held'
            : 'checking';
      const core = {
        id: transferId,
        exporterId: manifest.exporterId,
        submittedBy: principal.sub,
        createdAt: now.toISOString(),
        manifest,
        classification,
        inspection: summarise(report, payload),
      };
      await transfers.create(core, status, status === 'held' ? classification.reasons : []);
      await deps.events.append({
        type: 'transfer.submitted',
        transferId,
        exporterId: manifest.exporterId,
        submittedBy: deps.hashId(principal.sub),
        businessType: manifest.businessType,
        payloadSha256: payload.sha256,
        bytes: payload.bytes,
        findings: core.inspection.findings,
        // Ids, codes and counts the archive's search and reports need (api.md §10); never the free-text purpose.
        partnerId: manifest.partnerId,
        endpointId: manifest.endpointId,
        destinationCountry: manifest.destinationCountry,
        dataCategories: manifest.dataCategories,
        declaredIndividuals: manifest.personalInfo.individuals,
        declaredSensitive: manifest.personalInfo.sensitiveIndividuals,
        filingId: manifest.evidence?.filingId ?? null,
      });
      await deps.events.append({
        type: 'transfer.classified',
        transferId,
        tier: classification.tier,
        grade: classification.grade,
        reasons: classification.reasons.map((r) => r.code),
        policyVersion: classification.policyVersion,
        individualsYtd: classification.volume.individualsYtd,
        sensitiveYtd: classification.volume.sensitiveYtd,
      });
      if (status === 'checking') await deps.pipeline.start(transferId, classification.requiredChecks);
      else {
        await deps.events.append({
          type: status === 'blocked' ? 'transfer.blocked' : 'transfer.held',
          transferId,
          reasons: classification.reasons.map((r) => r.code),
        });
        if (status === 'blocked') metrics.transfersFinished.inc({ status: 'blocked' });
      }
      metrics.transfersSubmitted.inc({ business_type: manifest.businessType, tier: classification.tier });
      metrics.inspectionBytes.inc(payload.bytes);
      for (const [detector, count] of Object.entries(core.inspection.findings))
        metrics.inspectionFindings.inc({ detector }, count);
      metrics.stageDuration.observe({ stage: 'classify' }, Number(process.hrtime.bigint() - started) / 1e9);
      deps.logger.info('transfer submitted', {
        transferId,
        exporterId: manifest.exporterId,
        tier: classification.tier,
        status,
      });
      return toAnswer({
        ...core,
        status,
        updatedAt: core.createdAt,
        statusSince: core.createdAt,
        checks: {},
        holdReasons: [],
        decisions: [],
        approvals: [],
        deliveryAttempts: [],
        release: null,
        receipt: null,
      });
    },
  };
}
