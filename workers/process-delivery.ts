// workers/process-delivery: one delivery attempt of a released transfer (api.md §7). Log before act: the
// release event is durable in the ledger before the first byte leaves. Evidence is checked again before
// every attempt of a rules-based release, so a revoked filing or certificate stops a transfer in flight.
// The transfer is `released` only once the partner's signed receipt verifies; it then counts into the
// exporter's yearly volume. Failed attempts back off; after the last one the transfer is `delivery_failed`.
import { signRelease } from '../certs/release.js';
import { verifyReceipt, type ReceiptVerification } from '../certs/receipt.js';
import { describeError } from '../platform/logger.js';
import type { Reason } from '../policies/classification.js';
import { attemptOutcomes, type AttemptOutcome, type TransferRecord } from '../registry/transfer.js';
import { shanghaiYear } from '../registry/volume-store.js';
import { DeliveryNetworkError, postDelivery } from './deliver-http.js';
import type { JobContext } from './pipeline.js';
import type { TransferJob } from '../transfers/queue-contract.js';
import type { DeliveryDeps } from './worker-deps.js';

class AttemptFailed extends Error {
  constructor(
    readonly outcome: AttemptOutcome,
    /** For the workers' log only (ops): may hold a socket error's text, which records must not show. */
    message: string,
    /** A conflict (409) will not change by retrying. */
    readonly permanent = false,
    /** What the attempt record shows: the outcome's fixed text, plus an HTTP status when there was one. */
    readonly detail: string = attemptOutcomes[outcome],
  ) {
    super(message);
  }
}

/** The endpoint's HTTP status as an outcome: 409 conflict is handled before, 200 is not a failure. */
function httpOutcome(status: number): AttemptOutcome {
  if (status >= 400 && status < 500) return 'http_4xx';
  if (status >= 500 && status < 600) return 'http_5xx';
  return 'http_other';
}

/**
 * Why a receipt was refused, most fundamental first (api.md §7): a broken JWS or claims say nothing; a chain
 * that does not reach an anchor (or is revoked, expired) names nobody; a good chain to another CN is another
 * party's receipt; only then do mismatched transferId/sha256/bytes matter.
 */
function receiptOutcome(result: Extract<ReceiptVerification, { ok: false }>): AttemptOutcome {
  const codes = result.reasons.map((r) => r.code);
  if (codes.some((c) => c.startsWith('JWS-') || c === 'CLAIMS-INVALID')) return 'receipt_invalid';
  if (codes.some((c) => c.startsWith('CHAIN-') && c !== 'CHAIN-CN-MISMATCH')) return 'receipt_untrusted';
  if (codes.includes('CHAIN-CN-MISMATCH')) return 'receipt_wrong_signer';
  if (codes.includes('CLAIMS-MISMATCH')) return 'receipt_mismatch';
  return 'receipt_invalid';
}

export function createDeliveryProcessor(deps: DeliveryDeps) {
  const { transfers, events, metrics, clock } = deps;

  /** Answers the record as it now stands, with the release's ledger index (no second read of the record). */
  async function ensureReleaseLogged(record: TransferRecord): Promise<TransferRecord> {
    if (record.release === null || record.release.ledgerIndex !== null) return record;
    const { index } = await events.append({
      type: 'transfer.released',
      // An id fixed per release makes a retried job (worker crash before the index was saved) land on the same
      // entry, while a later release of the same transfer (approved after a hold during delivery) gets its own.
      eventId: `${record.id}:released:${record.release.at}`,
      transferId: record.id,
      by: record.release.by,
      endpointId: record.manifest.endpointId,
      payloadSha256: record.inspection.sha256,
      bytes: record.inspection.bytes,
      tier: record.classification.tier,
      policyVersion: record.classification.policyVersion,
    });
    const release = { ...record.release, ledgerIndex: index };
    await transfers.annotate(record.id, { release });
    return { ...record, release };
  }

  async function recheckEvidence(record: TransferRecord): Promise<readonly Reason[]> {
    if (record.release?.by !== 'rules') return [];
    // The checks read independent records: run together, their reads share round trips.
    const results = await Promise.all(
      record.classification.requiredChecks.map((check) =>
        deps.evidence.run(check, record.manifest, record.classification),
      ),
    );
    return results.flatMap((result) => (result.verdict.ok ? [] : result.verdict.reasons));
  }

  async function attempt(record: TransferRecord): Promise<{ jws: string; receivedAt: string }> {
    const endpoint = await deps.registry.getEndpoint(record.manifest.endpointId);
    if (endpoint === null)
      throw new AttemptFailed('endpoint_unregistered', 'the endpoint is no longer registered');
    const payload = await deps.payloads.open(record.inspection.sha256);
    const evidence = record.manifest.evidence ?? {};
    const releaseJws = await signRelease(
      {
        transferId: record.id,
        exporterId: record.exporterId,
        partnerId: record.manifest.partnerId,
        endpointId: endpoint.id,
        sha256: record.inspection.sha256,
        bytes: record.inspection.bytes,
        tier: record.classification.tier,
        ...(evidence.filingId === undefined ? {} : { filingId: evidence.filingId }),
        ...(evidence.attestationId === undefined ? {} : { attestationId: evidence.attestationId }),
        policyVersion: record.classification.policyVersion,
        iat: Math.floor(clock.now().getTime() / 1000),
      },
      deps.signer,
    );
    let answer;
    try {
      answer = await postDelivery({
        endpointUrl: endpoint.url,
        transferId: record.id,
        releaseJws,
        body: payload.stream,
        bytes: payload.bytes,
        tls: { cert: deps.tls.cert, key: deps.tls.key, ca: endpoint.caPem ?? deps.tls.ca },
        timeoutMs: deps.deliveryTimeoutMs,
        allowedNets: deps.endpointAllowedNets,
        ...(deps.resolve === undefined ? {} : { resolve: deps.resolve }),
      });
    } catch (err) {
      const cause = err instanceof DeliveryNetworkError ? err.cause : err;
      const outcome = err instanceof DeliveryNetworkError ? err.outcome : 'network_error';
      throw new AttemptFailed(outcome, `connection failed: ${describeError(cause)}`);
    }
    if (answer.status === 409)
      throw new AttemptFailed('conflict', 'the endpoint holds different bytes for this transfer (409)', true);
    if (answer.status !== 200) {
      const outcome = httpOutcome(answer.status);
      throw new AttemptFailed(
        outcome,
        `the endpoint answered ${answer.status}`,
        false,
        `${attemptOutcomes[outcome]}: ${answer.status}`,
      );
    }
    let receipt: unknown;
    try {
      receipt = (JSON.parse(answer.body) as { receipt?: unknown }).receipt;
    } catch {
      receipt = undefined;
    }
    if (typeof receipt !== 'string')
      throw new AttemptFailed('receipt_invalid', 'the endpoint answered without a receipt');
    // The receiver's chain is checked against the trust dir's anchors, the registry's revocations and its CRLs,
    // and its leaf must name the endpoint's partner (api.md §7): a receipt any other certificate under the
    // anchors signed — another partner's — proves nothing about where the bytes went.
    const trust = await deps.trust.snapshot();
    const verified = verifyReceipt(receipt, {
      anchors: trust.anchors,
      revokedSha256: await deps.registry.revokedCertificates(),
      revocationSources: trust.revocationSources,
      now: clock.now(),
      expected: { transferId: record.id, sha256: record.inspection.sha256, bytes: record.inspection.bytes },
      expectedSignerCn: endpoint.partnerId,
    });
    if (!verified.ok)
      throw new AttemptFailed(
        receiptOutcome(verified),
        `the receipt does not verify: ${verified.reasons.map((r) => r.code).join(', ')}`,
      );
    return { jws: receipt, receivedAt: verified.claims.receivedAt };
  }

  return async (job: JobContext<TransferJob>): Promise<void> => {
    const { transferId } = job.data;
    const log = deps.logger.child({ transferId, attempt: job.attempt });
    const stored = await transfers.get(transferId);
    if (stored === null || stored.status !== 'releasing') return;
    const record = await ensureReleaseLogged(stored);

    const revoked = await recheckEvidence(record);
    if (revoked.length > 0) {
      // The hold and the attempt that explains it are one write: a reader never sees `held` without it.
      const at = clock.now();
      const moved = await transfers.transition(transferId, ['releasing'], 'held', at, {
        holdReasons: revoked,
        attempt: {
          attempt: job.attempt,
          at: at.toISOString(),
          outcome: 'evidence_failed',
          detail: revoked.map((r) => r.code).join(', '),
        },
      });
      if (moved.ok) {
        await events.append({
          type: 'transfer.held',
          transferId,
          reasons: revoked.map((r) => r.code),
          stage: 'delivery',
        });
        log.warn('evidence no longer valid; held before delivery', {
          reasons: revoked.map((r) => r.code).join(','),
        });
      }
      return;
    }

    const endpointId = record.manifest.endpointId;
    const started = process.hrtime.bigint();
    try {
      const receipt = await attempt(record);
      const at = clock.now();
      const { index } = await events.append({
        type: 'transfer.receipt',
        eventId: `${transferId}:receipt`,
        transferId,
        payloadSha256: record.inspection.sha256,
        receivedAt: receipt.receivedAt,
      });
      if (record.classification.countsTowardTotals) {
        const { manifest, inspection } = record;
        await deps.volume.commit(
          record.exporterId,
          transferId,
          {
            individuals: manifest.personalInfo.individuals,
            sensitive: manifest.personalInfo.sensitiveIndividuals,
          },
          { individuals: inspection.individualsDetected, sensitive: inspection.sensitiveIndividualsDetected },
          at,
        );
        // The archive's yearly distinct counts come from here (api.md §10): the exact year-to-date totals after
        // this transfer, counts only (the person keys never leave Redis). A retry after the commit re-reads them.
        const ytd = await deps.volume.yearToDate(record.exporterId, at);
        await events.append({
          type: 'volume.committed',
          eventId: `${transferId}:volume`,
          transferId,
          exporterId: record.exporterId,
          year: shanghaiYear(at),
          individualsYtd: ytd.individuals,
          sensitiveYtd: ytd.sensitive,
        });
      }
      // The delivered attempt is written with the status, not before the receipt's ledger event: a worker that
      // dies (or fails) between the two leaves the job to run again, and the partner answers the repeat with the
      // same receipt, so a transfer would show two delivered attempts for one delivery.
      const moved = await transfers.transition(transferId, ['releasing'], 'released', at, {
        receipt: { jws: receipt.jws, receivedAt: receipt.receivedAt, ledgerIndex: index },
        attempt: {
          attempt: job.attempt,
          at: at.toISOString(),
          outcome: 'delivered',
          detail: 'receipt verified',
        },
      });
      if (moved.ok) {
        metrics.transfersFinished.inc({ status: 'released' });
        metrics.submitToRelease.observe((at.getTime() - Date.parse(record.createdAt)) / 1000);
      }
      metrics.deliveryAttempts.inc({ endpoint: endpointId, outcome: 'delivered' });
      metrics.deliveryBytes.inc({ endpoint: endpointId }, record.inspection.bytes);
      metrics.stageDuration.observe({ stage: 'delivery' }, Number(process.hrtime.bigint() - started) / 1e9);
      log.info('delivered', { bytes: record.inspection.bytes });
    } catch (err) {
      const failure =
        err instanceof AttemptFailed ? err : new AttemptFailed('internal_error', describeError(err));
      await transfers.appendAttempt(transferId, {
        attempt: job.attempt,
        at: clock.now().toISOString(),
        outcome: failure.outcome,
        detail: failure.detail,
      });
      metrics.deliveryAttempts.inc({ endpoint: endpointId, outcome: failure.outcome });
      await events.append({
        type: 'delivery.failed',
        transferId,
        attempt: job.attempt,
        outcome: failure.outcome,
      });
      log.warn('delivery attempt failed', { outcome: failure.outcome, detail: failure.message });
      if (!job.isLastAttempt && !failure.permanent) throw failure;
      const reasons: Reason[] = [
        {
          code: 'R-DELIVERY-FAILED',
          rule: 'api.md §7',
          message: `Delivery failed after ${job.attempt} attempt(s): ${failure.outcome} (${failure.detail})`,
          messageZh: `已尝试投递 ${job.attempt} 次，投递失败：${failure.outcome}（${failure.detail}）`,
        },
      ];
      const moved = await transfers.transition(transferId, ['releasing'], 'delivery_failed', clock.now(), {
        holdReasons: reasons,
      });
      if (moved.ok) {
        metrics.transfersFinished.inc({ status: 'delivery_failed' });
        await events.append({ type: 'transfer.delivery_failed', transferId, attempts: job.attempt });
      }
    }
  };
}
