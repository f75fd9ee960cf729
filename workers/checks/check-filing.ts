// workers/checks/check-filing: the CAC filing record — SCC filing or certification for `standard_contract`,
// a security-assessment approval for `security_assessment`. Kind fits the tier; active; within validity
// (an assessment result lasts 3 years, Provisions 2024 art. 9); scope covers partner, categories, purpose and
// the exporter's projected yearly volume (NDSMR art. 38 scope lock). Pure.
import type { Manifest } from '../../policies/manifest.js';
import type { Classification, Reason } from '../../policies/classification.js';
import { filingExpiresAt } from '../../registry/filing-expiry.js';
import { parseInstant, type Filing, type FilingKind } from '../../registry/records.js';
import { fail, missingFrom, samePurpose, verdictOf, type CheckVerdict } from './check-outcome.js';

function citationFor(tier: Classification['tier']): string {
  return tier === 'security_assessment'
    ? 'Provisions 2024 art. 7; Order 11'
    : 'Provisions 2024 art. 8; Order 13 art. 7; Order 20';
}

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
          ? `The manifest names no filing; this tier needs one of: ${kinds.join(', ')}`
          : `Filing ${id} is not registered`,
    });
  }
  if (!kinds.includes(filing.kind)) {
    return fail({
      code: 'R-EVID-FILING-MISSING',
      rule,
      message: `Filing ${id} is a ${filing.kind}; this tier needs one of: ${kinds.join(', ')}`,
    });
  }
  if (filing.exporterId !== manifest.exporterId) {
    return fail({ code: 'R-EVID-FILING-SCOPE', rule, message: `Filing ${id} belongs to another exporter` });
  }
  if (filing.status === 'revoked')
    return fail({ code: 'R-EVID-FILING-REVOKED', rule, message: `Filing ${id} has been revoked` });

  const reasons: Reason[] = [];
  const from = parseInstant(filing.validFrom);
  // Provisions 2024 art. 9: a security assessment lasts 3 years from issue (the same instant the expiring list uses).
  const until = filingExpiresAt(filing);
  if (from === null || until === null || now < from || now >= until) {
    reasons.push({
      code: 'R-EVID-FILING-EXPIRED',
      rule: filing.kind === 'security_assessment' ? 'Provisions 2024 art. 9' : rule,
      message: `Filing ${id} is valid from ${filing.validFrom} until ${until?.toISOString().slice(0, 10) ?? filing.validUntil}; not at this time`,
    });
  }
  const gaps: string[] = [];
  if (!filing.partnerIds.includes(manifest.partnerId)) gaps.push(`partner ${manifest.partnerId}`);
  const categories = missingFrom(manifest.dataCategories, filing.dataCategories);
  if (categories.length > 0) gaps.push(`categories ${categories.join(', ')}`);
  if (!filing.purposes.some((p) => samePurpose(p, manifest.purpose))) gaps.push('the purpose');
  if (classification.volume.individualsYtd > filing.maxIndividuals) {
    gaps.push(
      `${classification.volume.individualsYtd} individuals this year (filed for at most ${filing.maxIndividuals})`,
    );
  }
  if (classification.volume.sensitiveYtd > filing.maxSensitiveIndividuals) {
    gaps.push(
      `${classification.volume.sensitiveYtd} individuals with sensitive PI (filed for at most ${filing.maxSensitiveIndividuals})`,
    );
  }
  if (gaps.length > 0) {
    reasons.push({
      code: 'R-EVID-FILING-SCOPE',
      rule: 'NDSMR art. 38; Order 13 art. 8',
      message: `Filing ${id} does not cover ${gaps.join('; ')}`,
    });
  }
  return verdictOf(reasons);
}
