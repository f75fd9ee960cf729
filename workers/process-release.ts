// workers/process-release: the parent job of a transfer's flow, run when every check has finished. Any
// failed check holds the transfer with its reasons. Otherwise the transfer is classified again with the
// current yearly volume (another transfer may have crossed a threshold meanwhile); a changed decision holds
// it, an unchanged one releases it to the delivery queue.
import type { Reason } from '../policies/classification.js';
import type { JobContext } from './pipeline.js';
import type { TransferJob } from '../transfers/queue-contract.js';
import type { ReleaseDeps } from './worker-deps.js';
import type { TransferRecord } from '../registry/transfer.js';
import { tierNames } from '../transfers/transfer-vocabulary.js';
import { enforcePolicyPin } from './policy-pin.js';

async function hold(deps: ReleaseDeps, record: TransferRecord, reasons: readonly Reason[]): Promise<void> {
  const moved = await deps.transfers.transition(record.id, ['checking'], 'held', deps.clock.now(), {
    holdReasons: reasons,
  });
  if (!moved.ok) return;
  await deps.events.append({
    type: 'transfer.held',
    transferId: record.id,
    reasons: reasons.map((r) => r.code),
  });
  deps.logger.info('transfer held', { transferId: record.id, reasons: reasons.map((r) => r.code).join(',') });
}

export function createReleaseProcessor(deps: ReleaseDeps) {
  return async (job: JobContext<TransferJob>): Promise<void> => {
    const { transferId } = job.data;
    const record = await deps.transfers.get(transferId);
    if (record === null || record.status !== 'checking') return;
    enforcePolicyPin(deps, record, 'release');
    const started = process.hrtime.bigint();

    const failed = record.classification.requiredChecks.flatMap((check) => {
      const outcome = record.checks[check];
      if (outcome === undefined) {
        return [
          {
            code: 'R-HOLD-CHECK-ERROR',
            rule: 'design.md: fail closed',
            message: `The ${check} check has no result`,
            messageZh: `${check} 检查没有结果，转人工复核`,
          },
        ];
      }
      return outcome.ok ? [] : outcome.reasons;
    });
    if (failed.length > 0) return hold(deps, record, failed);

    const first = record.classification;
    // A minimised transfer is classified on the manifest its plan allowed (issue #20), as at intake.
    const again = await deps.classifier.classify(
      record.minimisation?.classifiedManifest ?? record.manifest,
      record.inspection.detail,
      {
        transferId,
        detected: {
          individuals: record.inspection.individualsDetected,
          sensitive: record.inspection.sensitiveIndividualsDetected,
        },
      },
    );
    if (again.tier !== first.tier) {
      return hold(deps, record, [
        {
          code: 'R-HOLD-RECLASSIFIED',
          rule: 'Provisions 2024 arts. 7, 8 (counted from 1 January, this transfer included)',
          message: `Classified ${tierNames[first.tier].en} at intake but ${tierNames[again.tier].en} now, with the exporter's current yearly volume`,
          messageZh: `受理时定级为${tierNames[first.tier].zh}，按该数据处理者本年度当前累计量现定级为${tierNames[again.tier].zh}`,
        },
        ...again.reasons,
      ]);
    }
    const moved = await deps.transfers.transition(transferId, ['checking'], 'releasing', deps.clock.now(), {
      release: { at: deps.clock.now().toISOString(), by: 'rules', ledgerIndex: null },
    });
    if (!moved.ok) return;
    await deps.pipeline.deliver(transferId, 0);
    deps.metrics.stageDuration.observe({ stage: 'release' }, Number(process.hrtime.bigint() - started) / 1e9);
  };
}
