// policies/classify: the generic evaluator — derives the facts, walks the decision table in order (first match
// wins, regulation.md §10.2), and returns the tier with its reasons, evidence, checks and a full trace. Pure: no
// I/O, `now` comes in the input; rows, thresholds and evidence are all policy data.
import type { Classification, ClassificationInput, Facts, Reason, TraceStep } from './classification.js';
import { deriveFacts } from './derive-facts.js';
import type { Policy, PolicyReason } from './policy.js';
import { selectEvidence } from './required-evidence.js';

/** The reasons of a row whose own condition holds; all of them if none does (the loader proves that cannot happen). */
function citedReasons(reasons: readonly PolicyReason[], facts: Facts): Reason[] {
  const out: Reason[] = [];
  for (const r of reasons) if (r.check(facts) === null) out.push(r.reason);
  return out.length > 0 ? out : reasons.map((r) => r.reason);
}

export function classify(input: ClassificationInput, policy: Policy): Classification {
  const { facts, ftz } = deriveFacts(input, policy);
  const { rows } = policy;

  // The loader guarantees the last row is unconditional, so the walk always ends in a decision (fail closed).
  const trace: TraceStep[] = [];
  let decided = rows.length - 1;
  for (let i = 0; i < rows.length - 1; i++) {
    const row = rows[i];
    if (row === undefined) continue;
    const failed = row.check(facts);
    if (failed === null) {
      decided = i;
      break;
    }
    trace.push(row.failedSteps.get(failed) ?? { row: row.row, code: row.code, matched: false, failed });
  }
  const row = rows[decided];
  if (row === undefined) throw new Error('policy has no decision rows'); // unreachable: parsePolicy requires rows
  for (let i = decided; i < rows.length; i++)
    trace.push(i === decided ? row.matchedStep : (rows[i]?.skippedStep ?? row.skippedStep));

  let tier = row.tier;
  let reasons = citedReasons(row.reasons, facts);
  // Row 10 [U]: a national threshold met beats an FTZ SCC/CERT entry unless the list overrides it.
  if (row.escalation !== null && row.escalation.check(facts) === null) {
    tier = row.escalation.tier;
    reasons = [...citedReasons(row.escalation.cite, facts), ...reasons];
  }
  const tierCodes = reasons.map((r) => r.code);
  let held = false;
  for (const annotation of policy.annotations) {
    if (annotation.check(facts) !== null) continue;
    reasons.push(annotation.reason);
    if (annotation.holds) held = true;
  }
  // A holding annotation (R-INSPECT-OPAQUE: content that could not be read) sends the transfer to review; only a
  // stricter decision, prohibited, stands (api.md §6).
  if (held && tier !== 'prohibited') tier = 'manual_review';

  const evidence = selectEvidence(tier, tierCodes, facts, policy.evidence);
  const { volume: volumeSettings } = policy.settings;
  const exemptRoute = tierCodes.some((code) => volumeSettings.exemptRouteReasons.includes(code));

  return {
    businessType: input.manifest.businessType,
    grade: facts.grade,
    tier,
    reasons,
    requiredEvidence: evidence.ids,
    requiredChecks: evidence.checks,
    policyVersion: policy.policyVersion,
    volume: { individualsYtd: facts.projectedIndividuals, sensitiveYtd: facts.projectedSensitive },
    thisTransfer: { individuals: facts.individuals, sensitiveIndividuals: facts.sensitiveIndividuals },
    // [U] regulation.md §1.2: whether exempt-route PI (arts. 3–6) counts toward the art. 7/8 totals.
    countsTowardTotals: facts.containsPi && (volumeSettings.countExemptRoutePi || !exemptRoute),
    ftz: { area: ftz.area, listId: ftz.listId, listVersion: ftz.listVersion, match: ftz.match },
    matchedRow: row.row,
    trace,
    facts,
  };
}
