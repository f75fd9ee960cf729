// workers/checks/check-self-assessment: the exporter's own PIPL-side evidence — the PIPIA and/or risk
// self-assessment (present, right kind, recent enough, scope covers the transfer), the art. 39 notice record,
// and separate consent when the legal basis is consent. Pure: (transfer, records, settings, now) → verdict.
import type { Manifest } from '../../policies/manifest.js';
import type { Reason } from '../../policies/classification.js';
import type { SelfAssessment } from '../../registry/records.js';
import { parseInstant } from '../../registry/records.js';
import { fail, missingFrom, samePurpose, verdictOf, type CheckVerdict } from './check-outcome.js';

export type SelfAssessmentKind = SelfAssessment['kind'];

export interface SelfAssessmentRequirement {
  /**
   * The kinds this transfer needs, each with its recency limit (regulation.md §2/§3: 3 months before declaration
   * or filing [K/U]): `pipia` for personal data (PIPL 55(4)), `risk_self_assessment` for a security assessment
   * (Order 11 art. 5), both for a security assessment with PI (§10.3 T4: "PI evidence as in T2"). The first is
   * the tier's own kind, asked of the named record when it is of none of them.
   */
  readonly kinds: readonly { readonly kind: SelfAssessmentKind; readonly maxAgeDays: number }[];
  /** PIPL art. 39 notice record: required whenever personal information is exported. */
  readonly noticeRequired: boolean;
  /** Separate-consent record: required when the legal basis is consent (regulation.md §10.3 note [U]). */
  readonly consentRequired: boolean;
}

const dayMs = 86_400_000;
const ruleFor = (kind: SelfAssessmentKind): string =>
  kind === 'pipia' ? 'PIPL art. 55(4)' : 'Order 11 art. 5';

/** Recency and scope of one record of the right kind (PIPL art. 56; NDSMR art. 38; the guides' 3 months). */
function checkRecord(manifest: Manifest, record: SelfAssessment, maxAgeDays: number, now: Date): Reason[] {
  const reasons: Reason[] = [];
  const completed = parseInstant(record.completedOn);
  const ageDays = completed === null ? Infinity : (now.getTime() - completed.getTime()) / dayMs;
  if (ageDays > maxAgeDays || ageDays < -1) {
    reasons.push({
      code: 'R-EVID-SELFASSESS-STALE',
      rule:
        record.kind === 'pipia'
          ? 'Order 13 art. 5; SCC filing guide 2nd ed.'
          : 'Security-assessment guide 3rd ed.',
      message: `Self-assessment ${record.id} was completed on ${record.completedOn}, more than ${maxAgeDays} days ago`,
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
      message: `Self-assessment ${record.id} does not cover ${gaps.join('; ')}`,
    });
  }
  return reasons;
}

/**
 * The exporter's registered record of `kind` that evidences this transfer: the most recently completed one that
 * is recent enough and covers it, else the most recently completed one (so its reasons are reported); undefined
 * when the exporter has none of that kind.
 */
export function pickSelfAssessment(
  manifest: Manifest,
  registered: readonly SelfAssessment[],
  kind: SelfAssessmentKind,
  maxAgeDays: number,
  now: Date,
): SelfAssessment | undefined {
  const candidates = registered
    .filter((r) => r.kind === kind && r.exporterId === manifest.exporterId)
    .sort((a, b) => b.completedOn.localeCompare(a.completedOn) || a.id.localeCompare(b.id));
  return candidates.find((r) => checkRecord(manifest, r, maxAgeDays, now).length === 0) ?? candidates[0];
}

/**
 * `record` is the self-assessment the manifest names; `registered` the exporter's other records, where a
 * further kind the transfer needs (the PIPIA beside a risk self-assessment) is looked up.
 */
export function checkSelfAssessment(
  manifest: Manifest,
  record: SelfAssessment | null,
  requirement: SelfAssessmentRequirement,
  now: Date,
  registered: readonly SelfAssessment[] = [],
): CheckVerdict {
  const reasons: Reason[] = [];
  const id = manifest.evidence?.selfAssessmentId;
  const primary = requirement.kinds[0]?.kind ?? 'pipia';
  if (id === undefined || record === null || record.exporterId !== manifest.exporterId) {
    return fail({
      code: 'R-EVID-PIPIA-MISSING',
      rule: ruleFor(primary),
      message:
        id === undefined
          ? 'The manifest names no self-assessment'
          : `Self-assessment ${id} is not registered for this exporter`,
    });
  }
  const named = requirement.kinds.find((k) => k.kind === record.kind);
  if (named === undefined) {
    return fail({
      code: 'R-EVID-PIPIA-MISSING',
      rule: ruleFor(primary),
      message: `Self-assessment ${id} is a ${record.kind}; this transfer needs a ${requirement.kinds.map((k) => k.kind).join(' and a ')}`,
    });
  }
  reasons.push(...checkRecord(manifest, record, named.maxAgeDays, now));
  for (const other of requirement.kinds.filter((k) => k.kind !== record.kind)) {
    const found = pickSelfAssessment(
      manifest,
      registered.filter((r) => r.id !== record.id),
      other.kind,
      other.maxAgeDays,
      now,
    );
    if (found === undefined) {
      reasons.push({
        code: 'R-EVID-PIPIA-MISSING',
        rule: `${ruleFor(other.kind)}; regulation.md §10.3 T4`,
        message: `Besides ${record.kind} ${id}, this transfer needs a ${other.kind}; none is registered for this exporter`,
      });
    } else {
      reasons.push(...checkRecord(manifest, found, other.maxAgeDays, now));
    }
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
