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
import type {
  InspectionSummary,
  MinimisationSummary,
  TransferRecord,
  TransferStatus,
} from '../registry/transfer.js';
import type { JsonValue } from '../platform/event-log.js';
import { sanitizeColumnName } from '../inspection/mask.js';
import type { MinimisationOutcome, Minimiser } from '../transfers/minimisation/create-minimiser.js';
import { judgeMinimisation, manifestAfterMinimisation } from '../policies/judge-minimisation.js';
import type { MinimisationPolicy } from '../policies/minimisation-policy.js';
import type { MinimiseOperation, MinimisePlan } from '../policies/minimise-plan.js';
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
  /** Issue #20: what the manifest's plan did, and the original's digest and classification beside the result's. */
  readonly minimisation?: {
    readonly counts: MinimisationSummary['counts'];
    readonly kAnonymity: MinimisationOutcome['kAnonymity'];
    readonly kMinimum: number;
    readonly columns: MinimisationOutcome['columns'];
    readonly categories: MinimisationOutcome['categories'];
    readonly original: {
      readonly bytes: number;
      readonly sha256: string;
      readonly findings: Readonly<Record<string, number>>;
      readonly individualsDetected: number;
      readonly classification: Classification;
    };
  };
}

export interface PayloadInspector {
  write(chunk: Buffer): void;
  /** The report, once every person key found has reached the volume store. */
  finish(): Promise<InspectionReport>;
}

/** The original as read before the plan was applied (issue #20): its size, digest and inspection. */
export interface OriginalPayload {
  readonly bytes: number;
  readonly sha256: string;
  readonly report: InspectionReport;
}

export interface SubmitInput {
  readonly transferId: string;
  readonly manifest: Manifest;
  readonly principal: Principal;
  /** The bytes stored (the minimised ones when the manifest has a plan). */
  readonly payload: StoredPayload;
  readonly report: InspectionReport;
  /** Present when the manifest's `minimise` plan was applied. */
  readonly minimised?: { readonly original: OriginalPayload; readonly outcome: MinimisationOutcome };
}

export interface SubmitService {
  newTransferId(): string;
  checkReferences(manifest: Manifest): Promise<FieldIssue[]>;
  /** `countsPeople` false: an inspector of the original before minimisation, whose people are not what leaves. */
  createInspector(transferId: string, countsPeople?: boolean): PayloadInspector;
  /** The minimiser for a manifest's plan, keyed for its exporter. */
  createMinimiser(exporterId: string, plan: MinimisePlan): Minimiser;
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
  readonly minimiser: (exporterId: string, plan: MinimisePlan) => Minimiser;
  readonly minimisationPolicy: MinimisationPolicy;
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
    ...(record.minimisation !== undefined ? { minimisation: minimisationAnswer(record.minimisation) } : {}),
  };
}

function minimisationAnswer(m: MinimisationSummary): NonNullable<SubmitAnswer['minimisation']> {
  return {
    counts: m.counts,
    kAnonymity: m.outcome.kAnonymity,
    kMinimum: m.kMinimum,
    columns: m.outcome.columns,
    categories: m.outcome.categories,
    original: {
      bytes: m.before.bytes,
      sha256: m.before.sha256,
      findings: m.before.findings,
      individualsDetected: m.before.individualsDetected,
      classification: m.before.classification,
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

/** The plan as the ledger records it: operations by column and category, column names as inspection reports them. */
function ledgerPlan(plan: MinimisePlan): JsonValue {
  const ops = (op: MinimiseOperation): JsonValue => ({ ...op });
  return {
    format: plan.format,
    columns: Object.fromEntries(
      Object.entries(plan.columns ?? {}).map(([n, op]) => [sanitizeColumnName(n), ops(op)]),
    ),
    categories: Object.fromEntries(
      Object.entries<MinimiseOperation | undefined>(plan.categories ?? {}).flatMap(([n, op]) =>
        op === undefined ? [] : [[n, ops(op)]],
      ),
    ),
    quasiIdentifiers: (plan.quasiIdentifiers ?? []).map(sanitizeColumnName),
  };
}

export function createSubmitService(deps: SubmitDeps): SubmitService {
  const { registry, transfers, volume, idempotency, clock, metrics } = deps;

  /**
   * Issue #20: the original is classified as it came (for the record), the result on the manifest the judgement
   * allows (policies/judge-minimisation): counted on what leaves only when nothing was de-identified and k holds.
   */
  async function classifyMinimised(
    transferId: string,
    manifest: Manifest,
    plan: MinimisePlan,
    report: InspectionReport,
    minimised: NonNullable<SubmitInput['minimised']>,
  ): Promise<{ classification: Classification; minimisation: MinimisationSummary }> {
    const { original, outcome } = minimised;
    const beforeFound = {
      individuals: original.report.individualsDetected,
      sensitive: original.report.sensitiveIndividualsDetected,
    };
    const afterFound = {
      individuals: report.individualsDetected,
      sensitive: report.sensitiveIndividualsDetected,
    };
    const before = await deps.classifier.classify(manifest, original.report, {
      transferId: null,
      detected: beforeFound,
    });
    const judgement = judgeMinimisation(outcome, deps.minimisationPolicy);
    const classifiedManifest = manifestAfterMinimisation(manifest, judgement, beforeFound, afterFound);
    const after = await deps.classifier.classify(classifiedManifest, report, {
      transferId,
      detected: afterFound,
    });
    const findings: Record<string, number> = {};
    for (const [detector, finding] of Object.entries(original.report.findings))
      if (finding !== undefined) findings[detector] = finding.count;
    return {
      classification: { ...after, reasons: [...after.reasons, ...judgement.reasons] },
      minimisation: {
        plan,
        outcome,
        counts: judgement.counts,
        kMinimum: judgement.kMinimum,
        classifiedManifest,
        before: {
          bytes: original.bytes,
          sha256: original.sha256,
          findings,
          individualsDetected: original.report.individualsDetected,
          sensitiveIndividualsDetected: original.report.sensitiveIndividualsDetected,
          classification: before,
        },
      },
    };
  }

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

    createInspector(transferId, countsPeople = true) {
      const pending: Promise<void>[] = [];
      const inspector = deps.inspect((personKeys, sensitive) => {
        if (countsPeople) pending.push(volume.addTransferPeople(transferId, personKeys, sensitive));
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

    createMinimiser: (exporterId, plan) => deps.minimiser(exporterId, plan),
    createPayloadWriter: () => deps.payloads.createWriter(),
    idempotency,

    async answerFor(transferId) {
      const record = await transfers.get(transferId);
      if (record === null) throw new AppError('NOT_FOUND');
      return toAnswer(record);
    },

    async submit({ transferId, manifest, principal, payload, report, minimised }) {
      const started = process.hrtime.bigint();
      const now = clock.now();
      const detected: PeopleCount = {
        individuals: report.individualsDetected,
        sensitive: report.sensitiveIndividualsDetected,
      };
      let classification: Classification;
      let minimisation: MinimisationSummary | undefined;
      if (minimised === undefined || manifest.minimise === undefined) {
        classification = await deps.classifier.classify(manifest, report, { transferId, detected });
      } else {
        ({ classification, minimisation } = await classifyMinimised(
          transferId,
          manifest,
          manifest.minimise,
          report,
          minimised,
        ));
      }
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
        ...(minimisation !== undefined ? { minimisation } : {}),
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
      if (minimisation !== undefined) {
        // The ledger keeps the plan and both digests, never data (column names are starred if identifier-like).
        await deps.events.append({
          type: 'transfer.minimised',
          transferId,
          plan: ledgerPlan(minimisation.plan),
          originalSha256: minimisation.before.sha256,
          originalBytes: minimisation.before.bytes,
          payloadSha256: payload.sha256,
          bytes: payload.bytes,
          tierBefore: minimisation.before.classification.tier,
          tierAfter: classification.tier,
          counts: minimisation.counts,
          k: minimisation.outcome.kAnonymity.k,
          kMinimum: minimisation.kMinimum,
        });
      }
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
