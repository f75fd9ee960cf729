// Shared inputs for the evidence-check unit tests: a manifest and a classification as intake makes them.
import type { Manifest } from '../../../policies/manifest.js';
import type { Classification } from '../../../policies/classification.js';

export const now = new Date('2026-06-15T04:00:00Z');

export function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    exporterId: '91450100MA5KDEM11G',
    businessType: 'cross_border_ecommerce',
    purpose: 'Order fulfilment and delivery',
    partnerId: 'partner-sg',
    endpointId: 'endpoint-sg',
    destinationCountry: 'SG',
    dataCategories: ['order', 'contact'],
    declaredGrade: 'general',
    personalInfo: { individuals: 150_000, sensitiveIndividuals: 0 },
    legalBasis: 'contract',
    evidence: {
      selfAssessmentId: 'sa-1',
      attestationId: 'att-1',
      filingId: 'SCC-1',
      noticeRecordRef: 'notice-1',
    },
    ...overrides,
  };
}

export function classification(overrides: Partial<Classification> = {}): Classification {
  return {
    businessType: 'cross_border_ecommerce',
    grade: 'general',
    tier: 'standard_contract',
    reasons: [{ code: 'R-SCC-PI100K', rule: 'Provisions 2024 art. 8', message: '', messageZh: '' }],
    requiredEvidence: ['pipia', 'notice_record', 'attestation', 'filing:standard_contract|certification'],
    requiredChecks: ['self_assessment', 'attestation', 'filing'],
    policyVersion: 'test',
    volume: { individualsYtd: 150_000, sensitiveYtd: 0 },
    thisTransfer: { individuals: 150_000, sensitiveIndividuals: 0 },
    countsTowardTotals: true,
    ftz: { area: null, listId: null, listVersion: null, match: null },
    matchedRow: 21,
    trace: [],
    facts: {} as Classification['facts'],
    ...overrides,
  };
}
