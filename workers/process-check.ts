// workers/process-check: one evidence check of one transfer (a child job of the transfer's flow). Loads,
// calls the pure check, stores the outcome. A failed check is a result, not a job failure; only
// infrastructure errors throw, and on the last attempt even those become a failed check, so the release
// stage holds the transfer for a person instead of waiting forever.
import type { Reason } from '../policies/classification.js';
import type { JobContext } from './pipeline.js';
import type { CheckJob } from '../transfers/queue-contract.js';
import type { CheckDeps } from './worker-deps.js';
import { describeError } from '../platform/logger.js';
import { enforcePolicyPin } from './policy-pin.js';

export function createCheckProcessor(deps: CheckDeps) {
  return async (job: JobContext<CheckJob>): Promise<void> => {
    const { transferId, check } = job.data;
    const log = deps.logger.child({ transferId, check });
    const record = await deps.transfers.get(transferId);
    if (record === null || record.status !== 'checking') return;
    enforcePolicyPin(deps, record, 'check');
    const started = process.hrtime.bigint();
    let ok: boolean;
    let reasons: readonly Reason[];
    let evidence: Readonly<Record<string, string>> = {};
    try {
      const result = await deps.evidence.run(check, record.manifest, record.classification);
      ok = result.verdict.ok;
      reasons = result.verdict.ok ? [] : result.verdict.reasons;
      evidence = result.evidence;
    } catch (err) {
      if (!job.isLastAttempt) throw err;
      log.error('check could not run; holding for review', { error: describeError(err) });
      ok = false;
      reasons = [
        {
          code: 'R-HOLD-CHECK-ERROR',
          rule: 'design.md: fail closed',
          message: `The ${check} check could not be completed`,
          messageZh: `${check} 检查未能完成，转人工复核`,
        },
      ];
    }
    const at = deps.clock.now().toISOString();
    await deps.transfers.recordCheck(transferId, { check, ok, reasons, at, evidence });
    await deps.events.append({
      type: 'check.result',
      transferId,
      check,
      ok,
      reasons: reasons.map((r) => r.code),
      evidence,
    });
    deps.metrics.checkResults.inc({ check, result: ok ? 'pass' : 'fail' });
    for (const reason of reasons) deps.metrics.checkFailures.inc({ check, reason: reason.code });
    deps.metrics.stageDuration.observe({ stage: 'check' }, Number(process.hrtime.bigint() - started) / 1e9);
    log.info('check finished', { ok, reasons: reasons.map((r) => r.code).join(',') });
  };
}
