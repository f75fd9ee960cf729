// workers/checks/check-self-assessment: the exporter's own PIPL-side evidence — the PIPIA or risk
// self-assessment (present, right kind, recent enough, scope covers the transfer), the art. 39 notice record,
// and separate consent when the legal basis is consent. Pure: (transfer, record, settings, now) → verdict.
import type { Manifest } from '../../policies/manifest.js';
import type { Reason } from '../../policies/classification.js';
import type { SelfAssessment } from '../../registry/records.js';
import { parseInstant } from '../../registry/records.js';
import { fail, missingFrom, samePurpose, verdictOf, type CheckVerdict } from './check-outcome.js';

export interface SelfAssessmentRequirement {
  /** `pipia` for personal data (PIPL 55(4)); `risk_self_assessment` for a security assessment (Order 11 art. 5). */
  readonly kind: 'pipia' | 'risk_self_assessment';
  /** Recency limit in days (regulation.md §2/§3: 3 months before declaration or filing [K/U]). */
  readonly maxAgeDays: number;
  /** PIPL art. 39 notice record: required whenever personal information is exported. */
  readonly noticeRequired: boolean;
  /** Separate-consent record: required when the legal basis is consent (regulation.md §10.3 note [U]). */
  readonly consentRequired: boolean;
}

const dayMs = 86_400_000;

export function checkSelfAssessment(
  manifest: Manifest,
  record: SelfAssessment | null,
  requirement: SelfAssessmentRequirement,
  now: Date,
): CheckVerdict {
  const reasons: Reason[] = [];
  const id = manifest.evidence?.selfAssessmentId;
  if (id === undefined || record === null || record.exporterId !== manifest.exporterId) {
    return fail({
      code: 'R-EVID-PIPIA-MISSING',
      rule: requirement.kind === 'pipia' ? 'PIPL art. 55(4)' : 'Order 11 art. 5',
      message:
        id === undefined
          ? 'The manifest names no self-assessment'
          : `Self-assessment ${id} is not registered for this exporter`,
    });
  }
  if (record.kind !== requirement.kind) {
    return fail({
      code: 'R-EVID-PIPIA-MISSING',
      rule: requirement.kind === 'pipia' ? 'PIPL art. 55(4)' : 'Order 11 art. 5',
      message: `Self-assessment ${id} is a ${record.kind}; this tier needs a ${requirement.kind}`,
    });
  }
  const completed = parseInstant(record.completedOn);
  const ageDays = completed === null ? Infinity : (now.getTime() - completed.getTime()) / dayMs;
  if (ageDays > requirement.maxAgeDays || ageDays < -1) {
    reasons.push({
      code: 'R-EVID-SELFASSESS-STALE',
      rule:
        requirement.kind === 'pipia'
          ? 'Order 13 art. 5; SCC filing guide 2nd ed.'
          : 'Security-assessment guide 3rd ed.',
      message: `Self-assessment ${id} was completed on ${record.completedOn}, more than ${requirement.maxAgeDays} days ago`,
    });
  }
  const scope = record.scope;
  const gaps: string[] = [];
  if (!scope.partnerIds.includes(manifest.partnerId)) gaps.push(`partner ${manifest.partnerId}`);
  const categories = missingFrom(manifest.dataCategories, scope.dataCategories);
  if (categories.length > 0) gaps.push(`categories ${categories.join(', ')}`);
  if (!scope.purposes.some((p) => samePurpose(p, manifest.purpose))) gaps.push('the purpose');
  if (!scope.businessTypes.includes(manifest.businessType))
    gaps.push(`business type ${manifest.businessType}`);
  if (gaps.length > 0) {
    reasons.push({
      code: 'R-EVID-SELFASSESS-SCOPE',
      rule: 'PIPL art. 56; NDSMR art. 38',
      message: `Self-assessment ${id} does not cover ${gaps.join('; ')}`,
    });
  }
  if (requirement.noticeRequired && manifest.evidence?.noticeRecordRef === undefined) {
    reasons.push({
      code: 'R-EVID-NOTICE-MISSING',
      rule: 'PIPL art. 39',
      message: 'No notice record is referenced (evidence.noticeRecordRef)',
    });
  }
  if (requirement.consentRequired && manifest.evidence?.consentRecordRef === undefined) {
    reasons.push({
      code: 'R-EVID-CONSENT-MISSING',
      rule: 'PIPL arts. 14, 39',
      message:
        'The legal basis is consent but no separate-consent record is referenced (evidence.consentRecordRef)',
    });
  }
  return verdictOf(reasons);
}
