// transfers/checks/check-filing: the CAC filing record — SCC filing or certification for `standard_contract`,
// a security-assessment approval for `security_assessment`. Kind fits the tier; active; within validity
// (an assessment result lasts 3 years, Provisions 2024 art. 9); scope covers partner, categories, purpose and
// the exporter's projected yearly volume (NDSMR art. 38 scope lock). Pure.
import type { Manifest } from '../../policies/manifest.js';
import type { Classification, Reason } from '../../policies/classification.js';
import { filingExpiresAt } from '../filing-expiry.js';
import { parseInstant, type Filing, type FilingKind } from '../../registry/records.js';
import { fail, missingFrom, samePurpose, verdictOf, type CheckVerdict } from './check-outcome.js';

function citationFor(tier: Classification['tier']): string {
  return tier === 'security_assessment'
    ? 'Provisions 2024 art. 7; Order 11'
    : 'Provisions 2024 art. 8; Order 13 art. 7; Order 20';
}

const kindNamesZh: Readonly<Record<FilingKind, string>> = {
  standard_contract: '标准合同备案',
  certification: '个人信息出境认证',
  security_assessment: '数据出境安全评估',
};
const kindZh = (kind: FilingKind): string => kindNamesZh[kind];
/** Reason messages are read by people (the console shows them as given): words, not the API's values. */
const kindNamesEn: Readonly<Record<FilingKind, string>> = {
  standard_contract: 'standard contract filing',
  certification: 'PI certification',
  security_assessment: 'security assessment',
};
const kindEn = (kind: FilingKind): string => kindNamesEn[kind];

/** `kinds`: the filing kinds that fit the tier (policies/evidence.yaml; SCC or certification, or assessment). */
export function checkFiling(
  manifest: Manifest,
  classification: Classification,
  filing: Filing | null,
  kinds: readonly FilingKind[],
  now: Date,
): CheckVerdict {
  const id = manifest.evidence?.filingId;
  const rule = citationFor(classification.tier);
  if (id === undefined || filing === null) {
    return fail({
      code: 'R-EVID-FILING-MISSING',
      rule,
      message:
        id === undefined
          ? `The manifest names no filing; this tier needs one of: ${kinds.map(kindEn).join(', ')}`
          : `Filing ${id} is not registered`,
      messageZh:
        id === undefined
          ? `清单未引用备案或评估记录；本级别需要以下之一：${kinds.map(kindZh).join('、')}`
          : `备案 ${id} 未登记`,
    });
  }
  if (!kinds.includes(filing.kind)) {
    return fail({
      code: 'R-EVID-FILING-MISSING',
      rule,
      message: `Filing ${id} is a ${kindEn(filing.kind)}; this tier needs one of: ${kinds.map(kindEn).join(', ')}`,
      messageZh: `备案 ${id} 为${kindZh(filing.kind)}；本级别需要以下之一：${kinds.map(kindZh).join('、')}`,
    });
  }
  if (filing.exporterId !== manifest.exporterId) {
    return fail({
      code: 'R-EVID-FILING-SCOPE',
      rule,
      message: `Filing ${id} belongs to another exporter`,
      messageZh: `备案 ${id} 属于其他数据处理者`,
    });
  }
  if (filing.status === 'revoked')
    return fail({
      code: 'R-EVID-FILING-REVOKED',
      rule,
      message: `Filing ${id} has been revoked`,
      messageZh: `备案 ${id} 已被撤销`,
    });

  const reasons: Reason[] = [];
  const from = parseInstant(filing.validFrom);
  // Provisions 2024 art. 9: a security assessment lasts 3 years from issue (the same instant the expiring list uses).
  const until = filingExpiresAt(filing);
  const untilText = until?.toISOString().slice(0, 10) ?? filing.validUntil;
  if (from === null || until === null || now < from || now >= until) {
    reasons.push({
      code: 'R-EVID-FILING-EXPIRED',
      rule:
        filing.kind === 'security_assessment'
          ? 'Provisions 2024 art. 9'
          : filing.kind === 'certification'
            ? 'Measures for PI Outbound Transfer Certification (CAC/SAMR Order 20)'
            : rule,
      message: `Filing ${id} is valid from ${filing.validFrom} until ${untilText}; not at this time`,
      messageZh: `备案 ${id} 的有效期为 ${filing.validFrom} 至 ${untilText}，当前不在有效期内`,
    });
  }
  const gaps: string[] = [];
  const gapsZh: string[] = [];
  const gap = (en: string, zh: string) => {
    gaps.push(en);
    gapsZh.push(zh);
  };
  if (!filing.partnerIds.includes(manifest.partnerId))
    gap(`partner ${manifest.partnerId}`, `接收方 ${manifest.partnerId}`);
  const categories = missingFrom(manifest.dataCategories, filing.dataCategories);
  if (categories.length > 0) gap(`categories ${categories.join(', ')}`, `数据类别 ${categories.join('、')}`);
  if (!filing.purposes.some((p) => samePurpose(p, manifest.purpose))) gap('the purpose', '出境目的');
  if (classification.volume.individualsYtd > filing.maxIndividuals) {
    gap(
      `${classification.volume.individualsYtd} individuals this year (filed for at most ${filing.maxIndividuals})`,
      `本年度 ${classification.volume.individualsYtd} 人（备案上限 ${filing.maxIndividuals} 人）`,
    );
  }
  if (classification.volume.sensitiveYtd > filing.maxSensitiveIndividuals) {
    gap(
      `${classification.volume.sensitiveYtd} individuals with sensitive PI (filed for at most ${filing.maxSensitiveIndividuals})`,
      `本年度敏感个人信息 ${classification.volume.sensitiveYtd} 人（备案上限 ${filing.maxSensitiveIndividuals} 人）`,
    );
  }
  if (gaps.length > 0) {
    reasons.push({
      code: 'R-EVID-FILING-SCOPE',
      rule: 'NDSMR art. 38; Order 13 art. 8',
      message: `Filing ${id} does not cover ${gaps.join('; ')}`,
      messageZh: `备案 ${id} 未涵盖：${gapsZh.join('；')}`,
    });
  }
  return verdictOf(reasons);
}
