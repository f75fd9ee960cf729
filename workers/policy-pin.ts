// workers/policy-pin: a worker acts on a transfer only under the policy version the transfer was classified
// under (design.md "Beyond one machine"). During a rolling policy change a worker on the other rulebook must
// not judge the transfer again under it: the job waits and is retried, by this worker once it is updated or
// by another that already is. Must not decide anything about the transfer itself.
import type { Stage } from '../platform/metrics.js';
import type { TransferRecord } from '../registry/transfer.js';
import { RetryLaterError } from './pipeline.js';
import type { WorkerDeps } from './worker-deps.js';

/** How long a job waits before a worker looks at it again: long enough not to spin, short next to a rollout. */
export const policyPinRetryMs = 5_000;

export type PolicyPin =
  { readonly ok: true } | { readonly ok: false; readonly loaded: string; readonly classifiedUnder: string };

export function checkPolicyPin(loaded: string, classifiedUnder: string): PolicyPin {
  return loaded === classifiedUnder ? { ok: true } : { ok: false, loaded, classifiedUnder };
}

/** Throws a RetryLaterError (retriable, no attempt spent) when this worker's policy is not the transfer's. */
export function enforcePolicyPin(
  deps: Pick<WorkerDeps, 'policyVersion' | 'logger' | 'metrics'> & { readonly policyPinRetryMs?: number },
  record: TransferRecord,
  stage: Extract<Stage, 'check' | 'release'>,
): void {
  const pin = checkPolicyPin(deps.policyVersion, record.classification.policyVersion);
  if (pin.ok) return;
  deps.metrics.policyVersionWaits.inc({ stage });
  deps.logger.warn(
    'transfer was classified under another policy version; waiting for a worker that runs it',
    {
      transferId: record.id,
      stage,
      loadedPolicyVersion: pin.loaded,
      transferPolicyVersion: pin.classifiedUnder,
    },
  );
  throw new RetryLaterError(
    `policy ${pin.loaded} is loaded but transfer ${record.id} was classified under ${pin.classifiedUnder}`,
    deps.policyPinRetryMs ?? policyPinRetryMs,
  );
}
