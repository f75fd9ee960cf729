// transfers/checks/check-self-assessment: the exporter's own PIPL-side evidence — the PIPIA and/or risk
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
  readonly kinds: readonly {
    readonly kind: SelfAssessmentKind;
    /** null: no age limit (rules reference §0.1 C6: an exempt transfer needs a PIPIA covering it, of any age). */
    readonly maxAgeDays: number | null;
  }[];
  /**
   * The date the age is measured to (rules reference §0.1 C6; Order 13 arts. 5, 7): the filing or declaration date
   * of the filing the transfer relies on; absent = now (no filing known yet: the filing can only come later).
   */
  readonly measuredTo?: { readonly at: Date; readonly what: string };
  /** PIPL art. 39 notice record: required whenever personal information is exported. */
  readonly noticeRequired: boolean;
  /** Separate-consent record: required when the legal basis is consent (regulation.md §10.3 note [U]). */
  readonly consentRequired: boolean;
}

const dayMs = 86_400_000;
const ruleFor = (kind: SelfAssessmentKind): string =>
  kind === 'pipia' ? 'PIPL art. 55(4)' : 'Order 11 art. 5';

const kindZh = (kind: SelfAssessmentKind): string =>
  kind === 'pipia' ? '个人信息保护影响评估' : '数据出境风险自评估';
/** Reason messages are read by people (the console shows them as given): words, not the API's values. */
const kindEn = (kind: SelfAssessmentKind): string => (kind === 'pipia' ? 'PIPIA' : 'risk self-assessment');

/**
 * Recency and scope of one record of the right kind (PIPL art. 56; NDSMR art. 38). Rules reference §0.1 C6: the
 * "within 3 months" is measured to the filing or declaration date (`measuredTo`), not to each transfer; with no
 * limit (exempt transfers) only a record completed in the future fails.
 */
function checkRecord(
  manifest: Manifest,
  record: SelfAssessment,
  maxAgeDays: number | null,
  now: Date,
  measuredTo?: { readonly at: Date; readonly what: string },
): Reason[] {
  const reasons: Reason[] = [];
  const completed = parseInstant(record.completedOn);
  const ref = measuredTo?.at ?? now;
  const ageDays = completed === null ? Infinity : (ref.getTime() - completed.getTime()) / dayMs;
  const future = completed === null || completed.getTime() - now.getTime() > dayMs;
  const before = measuredTo === undefined ? '' : ` before ${measuredTo.what}`;
  const beforeZh = measuredTo === undefined ? '' : `（以${measuredTo.what}为准）`;
  // A PIPIA newer than the filing is no fault (a later assessment beside the filed one); only age counts.
  if (future || (maxAgeDays !== null && ageDays > maxAgeDays)) {
    reasons.push({
      code: 'R-EVID-SELFASSESS-STALE',
      rule:
        record.kind === 'pipia'
          ? 'Order 13 arts. 5, 7; SCC filing guide 2nd ed.'
          : 'Order 11 art. 5; security-assessment declaration guide 3rd ed.',
      message: future
        ? `Self-assessment ${record.id} is dated ${record.completedOn}, in the future`
        : `Self-assessment ${record.id} was completed on ${record.completedOn}, more than ${maxAgeDays ?? 0} days${before}`,
      messageZh: future
        ? `自评估 ${record.id} 的完成日期 ${record.completedOn} 晚于当前日期`
        : `自评估 ${record.id} 完成于 ${record.completedOn}，距备案或申报已超过 ${maxAgeDays ?? 0} 天${beforeZh}`,
    });
  }
  const scope = record.scope;
  const gaps: string[] = [];
  const gapsZh: string[] = [];
  const gap = (en: string, zh: string) => {
    gaps.push(en);
    gapsZh.push(zh);
  };
  if (!scope.partnerIds.includes(manifest.partnerId))
    gap(`partner ${manifest.partnerId}`, `接收方 ${manifest.partnerId}`);
  const categories = missingFrom(manifest.dataCategories, scope.dataCategories);
  if (categories.length > 0) gap(`categories ${categories.join(', ')}`, `数据类别 ${categories.join('、')}`);
  if (!scope.purposes.some((p) => samePurpose(p, manifest.purpose))) gap('the purpose', '出境目的');
  if (!scope.businessTypes.includes(manifest.businessType))
    gap(`business type ${manifest.businessType}`, `业务类型 ${manifest.businessType}`);
  if (gaps.length > 0) {
    // A change of recipient, categories or purpose is an Order 13 art. 8 trigger: a new assessment is needed.
    reasons.push({
      code: 'R-EVID-SELFASSESS-SCOPE',
      rule: 'PIPL art. 56; NDSMR art. 38; Order 13 art. 8',
      message: `Self-assessment ${record.id} does not cover ${gaps.join('; ')}; a new assessment is needed (Order 13 art. 8)`,
      messageZh: `${kindZh(record.kind)} ${record.id} 未涵盖：${gapsZh.join('；')}；需重新评估（标准合同办法第八条）`,
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
  maxAgeDays: number | null,
  now: Date,
  measuredTo?: { readonly at: Date; readonly what: string },
): SelfAssessment | undefined {
  const candidates = registered
    .filter((r) => r.kind === kind && r.exporterId === manifest.exporterId)
    .sort((a, b) => b.completedOn.localeCompare(a.completedOn) || a.id.localeCompare(b.id));
  return (
    candidates.find((r) => checkRecord(manifest, r, maxAgeDays, now, measuredTo).length === 0) ??
    candidates[0]
  );
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
      messageZh: id === undefined ? '清单未引用自评估报告' : `自评估 ${id} 未登记在该数据处理者名下`,
    });
  }
  const named = requirement.kinds.find((k) => k.kind === record.kind);
  if (named === undefined) {
    return fail({
      code: 'R-EVID-PIPIA-MISSING',
      rule: ruleFor(primary),
      message: `Self-assessment ${id} is a ${kindEn(record.kind)}; this transfer needs a ${requirement.kinds.map((k) => kindEn(k.kind)).join(' and a ')}`,
      messageZh: `自评估 ${id} 为${kindZh(record.kind)}；本次传输需要${requirement.kinds.map((k) => kindZh(k.kind)).join('和')}`,
    });
  }
  reasons.push(...checkRecord(manifest, record, named.maxAgeDays, now, requirement.measuredTo));
  for (const other of requirement.kinds.filter((k) => k.kind !== record.kind)) {
    const found = pickSelfAssessment(
      manifest,
      registered.filter((r) => r.id !== record.id),
      other.kind,
      other.maxAgeDays,
      now,
      requirement.measuredTo,
    );
    if (found === undefined) {
      reasons.push({
        code: 'R-EVID-PIPIA-MISSING',
        rule: `${ruleFor(other.kind)}; Order 11 art. 5`,
        message: `Besides ${kindEn(record.kind)} ${id}, this transfer needs a ${kindEn(other.kind)}; none is registered for this exporter`,
        messageZh: `除${kindZh(record.kind)} ${id} 外，本次传输还需要${kindZh(other.kind)}，但该数据处理者未登记`,
      });
    } else {
      reasons.push(...checkRecord(manifest, found, other.maxAgeDays, now, requirement.measuredTo));
    }
  }
  if (requirement.noticeRequired && manifest.evidence?.noticeRecordRef === undefined) {
    reasons.push({
      code: 'R-EVID-NOTICE-MISSING',
      rule: 'PIPL art. 39',
      message: 'No notice record is referenced (evidence.noticeRecordRef)',
      messageZh: '未引用告知记录（evidence.noticeRecordRef）',
    });
  }
  if (requirement.consentRequired && manifest.evidence?.consentRecordRef === undefined) {
    reasons.push({
      code: 'R-EVID-CONSENT-MISSING',
      rule: 'PIPL arts. 14, 39',
      message:
        'The legal basis is consent but no separate-consent record is referenced (evidence.consentRecordRef)',
      messageZh: '处理依据为同意，但未引用单独同意记录（evidence.consentRecordRef）',
    });
  }
  return verdictOf(reasons);
}
