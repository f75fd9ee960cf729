// workers/metric-labels: every value the labelled counters of platform/metrics.ts can take that is known before
// the first event — business types, tiers, final statuses, stages, checks with the reason codes each can give
// (docs/errors.md, transfers/checks/), inspection detectors. Both the gateway and the workers zero them at start.
import { detectorNames } from '../inspection/detectors.js';
import { checkNames, tiers } from '../policies/classification.js';
import { businessTypes } from '../policies/manifest.js';
import type { CheckName, KnownLabels } from '../platform/metrics.js';

/** The hold a check gives when it could not run at all (workers/process-check.ts). */
const checkError = 'R-HOLD-CHECK-ERROR';

/** Reason codes per check; test/unit/workers/metric-labels.test.ts keeps this in step with transfers/checks/. */
export const checkReasonCodes: Readonly<Record<CheckName, readonly string[]>> = {
  self_assessment: [
    'R-EVID-PIPIA-MISSING',
    'R-EVID-SELFASSESS-STALE',
    'R-EVID-SELFASSESS-SCOPE',
    'R-EVID-NOTICE-MISSING',
    'R-EVID-CONSENT-MISSING',
    checkError,
  ],
  attestation: [
    'R-EVID-ATTESTATION-MISSING',
    'R-EVID-ATTESTATION-INVALID',
    'R-EVID-ATTESTATION-UNTRUSTED',
    'R-EVID-ATTESTATION-EXPIRED',
    'R-EVID-ATTESTATION-REVOKED',
    'R-EVID-ATTESTATION-SCOPE',
    checkError,
  ],
  filing: [
    'R-EVID-FILING-MISSING',
    'R-EVID-FILING-EXPIRED',
    'R-EVID-FILING-REVOKED',
    'R-EVID-FILING-SCOPE',
    checkError,
  ],
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
