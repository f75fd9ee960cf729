// policies/reason-codes: the closed set of reason codes the shipped rulebook and the gateway give (api.md §6,
// docs/errors.md; test/unit/shared-vocabulary.test.ts keeps the three in step). Data only; no logic.

/** The decision table's tier reasons (policies/decision-table.yaml rows), regulation.md §10.4 families. */
export const tierReasonCodes = [
  'R-BLK-CORE',
  'R-BLK-EXPCTRL',
  'R-BLK-FOREIGNREQ',
  'R-BLK-LIST',
  'R-BLK-SECRET',
  'R-HOLD-ART5-1',
  'R-HOLD-EXPCTRL',
  'R-HOLD-FIN',
  'R-HOLD-GEO',
  'R-HOLD-HGR',
  'R-HOLD-IMPID',
  'R-HOLD-UNCLASSIFIED',
  'R-SA-CIIO',
  'R-SA-IMP',
  'R-SA-PI1M',
  'R-SA-SPI10K',
  'R-SCC-PI100K',
  'R-SCC-SPI',
  'R-FTZ-SA',
  'R-FTZ-SCC',
  'R-EX-ART3',
  'R-EX-ART4',
  'R-EX-ART5-1',
  'R-EX-ART5-2',
  'R-EX-ART5-3',
  'R-EX-ART5-4',
  'R-EX-ART6',
  'R-EX-NDSMR35-6',
  'R-FREE-GENERAL',
] as const;

/** Annotations the decision table adds after the tier decision (inspection findings). */
export const inspectionReasonCodes = [
  'R-INSPECT-UNDECLARED-PI',
  'R-INSPECT-UNDECLARED-SPI',
  'R-INSPECT-DOMESTIC-ID',
  'R-INSPECT-OPAQUE',
] as const;

/** What a minimisation plan adds to the classification (policies/minimisation.yaml, judge-minimisation.ts). */
export const minimisationReasonCodes = [
  'R-MIN-APPLIED',
  'R-MIN-PSEUDONYMISED-STILL-PI',
  'R-MIN-K-BELOW-MINIMUM',
] as const;

/** What each evidence check can fail with (transfers/checks/). */
export const evidenceReasonCodes = {
  self_assessment: [
    'R-EVID-PIPIA-MISSING',
    'R-EVID-SELFASSESS-STALE',
    'R-EVID-SELFASSESS-SCOPE',
    'R-EVID-NOTICE-MISSING',
    'R-EVID-CONSENT-MISSING',
  ],
  attestation: [
    'R-EVID-ATTESTATION-MISSING',
    'R-EVID-ATTESTATION-INVALID',
    'R-EVID-ATTESTATION-UNTRUSTED',
    'R-EVID-ATTESTATION-EXPIRED',
    'R-EVID-ATTESTATION-REVOKED',
    'R-EVID-ATTESTATION-SCOPE',
  ],
  filing: ['R-EVID-FILING-MISSING', 'R-EVID-FILING-EXPIRED', 'R-EVID-FILING-REVOKED', 'R-EVID-FILING-SCOPE'],
} as const;

/** The pipeline's own reasons: a check that could not run, a changed decision, a delivery that failed. */
export const pipelineReasonCodes = [
  'R-HOLD-CHECK-ERROR',
  'R-HOLD-RECLASSIFIED',
  'R-DELIVERY-FAILED',
] as const;

export type EvidenceReasonCode = (typeof evidenceReasonCodes)[keyof typeof evidenceReasonCodes][number];
export type ReasonCode =
  | (typeof tierReasonCodes)[number]
  | (typeof inspectionReasonCodes)[number]
  | (typeof minimisationReasonCodes)[number]
  | EvidenceReasonCode
  | (typeof pipelineReasonCodes)[number];

export const reasonCodes: readonly ReasonCode[] = [
  ...tierReasonCodes,
  ...inspectionReasonCodes,
  ...minimisationReasonCodes,
  ...Object.values(evidenceReasonCodes).flat(),
  ...pipelineReasonCodes,
];
