// policies/required-evidence: which evidence items a decision needs (regulation.md §10.3, from evidence.yaml), which
// worker checks verify them, and the per-transfer inputs of those checks (self-assessment and filing kinds). Pure.
import { checkNames, type CheckName, type Classification, type Facts, type Tier } from './classification.js';
import type { EvidencePolicy, FilingKind, Policy, SelfAssessmentKind } from './policy.js';

export interface SelectedEvidence {
  /** Evidence item ids, in evidence.yaml order, without duplicates. */
  readonly ids: string[];
  /** The worker checks that verify them, in the fixed order self_assessment, attestation, filing. */
  readonly checks: CheckName[];
}

/** The evidence a decision needs: the requirements of its tier whose reason codes and condition apply. */
export function selectEvidence(
  tier: Tier,
  tierCodes: readonly string[],
  facts: Facts,
  evidence: EvidencePolicy,
): SelectedEvidence {
  const ids: string[] = [];
  let selfAssessment = false;
  let attestation = false;
  let filing = false;
  for (const req of evidence.requirementsByTier[tier]) {
    if (req.reasons !== null && !req.reasons.some((code) => tierCodes.includes(code))) continue;
    if (req.check(facts) !== null) continue;
    for (const id of req.items) if (!ids.includes(id)) ids.push(id);
    for (const check of req.checks) {
      if (check === 'self_assessment') selfAssessment = true;
      else if (check === 'attestation') attestation = true;
      else filing = true;
    }
  }
  const checks: CheckName[] = [];
  if (selfAssessment) checks.push('self_assessment');
  if (attestation) checks.push('attestation');
  if (filing) checks.push('filing');
  return { ids, checks };
}

/** The evidence item ids for a decision (see selectEvidence). */
export function listRequiredEvidence(
  tier: Tier,
  tierCodes: readonly string[],
  facts: Facts,
  evidence: EvidencePolicy,
): string[] {
  return selectEvidence(tier, tierCodes, facts, evidence).ids;
}

/** The worker checks that verify the given items, in the fixed order self_assessment, attestation, filing. */
export function listRequiredChecks(ids: readonly string[], evidence: EvidencePolicy): CheckName[] {
  return checkNames.filter((check) => ids.some((id) => evidence.items[id]?.check === check));
}

/** The self-assessment report kinds this classification needs (pipia, risk_self_assessment). */
export function listSelfAssessmentKinds(
  classification: Classification,
  policy: Policy,
): SelfAssessmentKind[] {
  const kinds: SelfAssessmentKind[] = [];
  for (const id of classification.requiredEvidence) {
    const kind = policy.evidence.items[id]?.selfAssessmentKind;
    if (kind && !kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
}

/** The filing kinds any one of which satisfies this classification's filing item; empty when it needs none. */
export function listFilingKinds(classification: Classification, policy: Policy): FilingKind[] {
  const kinds: FilingKind[] = [];
  for (const id of classification.requiredEvidence) {
    for (const kind of policy.evidence.items[id]?.filingKinds ?? [])
      if (!kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
}
