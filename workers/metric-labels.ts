// workers/metric-labels: every value the labelled counters of platform/metrics.ts can take that is known before
// the first event — business types, tiers, final statuses, stages, checks with the reason codes each can give
// (docs/errors.md, transfers/checks/), inspection detectors. Both the gateway and the workers zero them at start.
import { detectorNames } from '../inspection/detectors.js';
import {
  businessTypes,
  checkNames,
  evidenceReasonCodes,
  tiers,
  type ReasonCode,
} from '../transfers/transfer-vocabulary.js';
import type { CheckName, KnownLabels } from '../platform/metrics.js';

/** The hold a check gives when it could not run at all (workers/process-check.ts). */
const checkError: ReasonCode = 'R-HOLD-CHECK-ERROR';

/** Reason codes per check; test/unit/workers/metric-labels.test.ts keeps this in step with transfers/checks/. */
export const checkReasonCodes: Readonly<Record<CheckName, readonly string[]>> = {
  self_assessment: [...evidenceReasonCodes.self_assessment, checkError],
  attestation: [...evidenceReasonCodes.attestation, checkError],
  filing: [...evidenceReasonCodes.filing, checkError],
};

export const knownMetricLabels: KnownLabels = {
  businessTypes,
  tiers,
  finishedStatuses: ['released', 'blocked', 'rejected', 'delivery_failed'],
  stages: ['intake', 'classify', 'check', 'release', 'delivery'],
  checkResults: ['pass', 'fail', 'error'],
  checkReasons: Object.fromEntries(checkNames.map((c) => [c, checkReasonCodes[c]])) as Record<
    CheckName,
    readonly string[]
  >,
  detectors: detectorNames,
};
