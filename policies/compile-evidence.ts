// policies/compile-evidence: turns evidence.yaml (regulation.md §10.3) into the evidence policy — items, per-tier
// requirements, and the inputs the worker checks need (recency, filing kinds, self-assessment kinds) — refusing
// unknown items or codes, contradictory item kinds, worker checks on tiers that are released only by hand, and
// items nothing requires. Pure.
import type { FieldIssue } from '../platform/errors.js';
import { checkNames, tiers, type Tier } from './classification.js';
import { compileCondition, toCheck, type RefResolver } from './condition.js';
import type { EvidenceFile } from './policy-files.js';
import type {
  EvidenceItem,
  EvidencePolicy,
  EvidenceRequirement,
  FilingKind,
  SelfAssessmentKind,
} from './policy.js';

/** design.md step 2/7 and the brief: prohibited is blocked at once and manual_review waits for reviewers, so
 * neither may depend on a worker check (regulation.md §10.3 "T0 / HOLD: manual release only"). */
const manualTiers: readonly Tier[] = ['prohibited', 'manual_review'];

function tiersOf(req: EvidenceRequirement, codeTiers: ReadonlyMap<string, Tier>): readonly Tier[] {
  if (req.tiers !== null) return req.tiers;
  if (req.reasons !== null) return req.reasons.flatMap((code) => codeTiers.get(code) ?? []);
  return tiers;
}

export function compileEvidence(
  file: EvidenceFile,
  resolve: RefResolver,
  codeTiers: ReadonlyMap<string, Tier>,
): { evidence: EvidencePolicy; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const items: Record<string, EvidenceItem> = {};
  const itemIndex = new Map<string, number>();
  file.items.forEach((raw, i) => {
    const base = `/items/${i}`;
    if (itemIndex.has(raw.id))
      issues.push({
        path: `${base}/id`,
        message: `duplicates item ${raw.id} (items/${itemIndex.get(raw.id)})`,
      });
    itemIndex.set(raw.id, i);
    if (raw.selfAssessmentKind !== undefined && raw.check !== 'self_assessment') {
      issues.push({
        path: `${base}/selfAssessmentKind`,
        message: 'is only meaningful with check: self_assessment',
      });
    }
    if (raw.filingKinds !== undefined && raw.check !== 'filing') {
      issues.push({ path: `${base}/filingKinds`, message: 'is only meaningful with check: filing' });
    }
    if (raw.check === 'filing' && raw.filingKinds === undefined) {
      issues.push({
        path: `${base}/filingKinds`,
        message: 'is required with check: filing (which filing kinds satisfy the item)',
      });
    }
    items[raw.id] = {
      id: raw.id,
      description: raw.description,
      rule: raw.rule,
      check: raw.check === 'none' ? null : raw.check,
      selfAssessmentKind: raw.selfAssessmentKind ?? null,
      filingKinds: raw.filingKinds ?? [],
      manifestRef: raw.manifestRef ?? null,
    };
  });

  const used = new Set<string>();
  const requirements: EvidenceRequirement[] = file.requirements.map((raw, i) => {
    const base = `/requirements/${i}`;
    raw.reasons?.forEach((code, j) => {
      const tier = codeTiers.get(code);
      if (tier === undefined)
        issues.push({
          path: `${base}/reasons/${j}`,
          message: `${code} is not a reason code of the decision table`,
        });
      else if (raw.tiers !== undefined && !raw.tiers.includes(tier)) {
        issues.push({
          path: `${base}/reasons/${j}`,
          message: `${code} decides ${tier}, which is not in this requirement's tiers`,
        });
      }
    });
    const compiled =
      raw.when === undefined
        ? { node: null, issues: [] }
        : compileCondition(raw.when, `${base}/when`, resolve);
    issues.push(...compiled.issues);
    const req: EvidenceRequirement = {
      tiers: raw.tiers ?? null,
      reasons: raw.reasons ?? null,
      check: compiled.node === null ? () => null : toCheck(compiled.node),
      items: raw.items,
      checks: checkNames.filter((c) => raw.items.some((id) => items[id]?.check === c)),
    };
    const manual = tiersOf(req, codeTiers).filter((t) => manualTiers.includes(t));
    raw.items.forEach((id, j) => {
      used.add(id);
      const item = items[id];
      if (item === undefined)
        issues.push({ path: `${base}/items/${j}`, message: `${id} is not an item of this file` });
      else if (item.check !== null && manual.length > 0) {
        issues.push({
          path: `${base}/items/${j}`,
          message: `${manual.join('/')} is released by hand only: ${id} must have check: none`,
        });
      }
    });
    return req;
  });
  file.items.forEach((raw, i) => {
    if (!used.has(raw.id))
      issues.push({
        path: `/items/${i}/id`,
        message: `${raw.id} is never required (no requirement lists it)`,
      });
  });

  // The worker-check inputs per tier, derived from the requirements so they cannot drift from the table.
  const filingKinds = {} as Record<Tier, FilingKind[]>;
  const selfAssessmentKinds = {} as Record<Tier, SelfAssessmentKind[]>;
  const requirementsByTier = {} as Record<Tier, EvidenceRequirement[]>;
  for (const tier of tiers) {
    // Reason-keyed requirements stay in every tier's list (filtered by code when classifying): an escalated
    // row (row 10) cites its own code under another tier.
    requirementsByTier[tier] = requirements.filter((req) => req.tiers === null || req.tiers.includes(tier));
    const applicable = file.requirements
      .map((raw, i) => ({ raw, req: requirements[i] }))
      .filter(({ req }) => req !== undefined && tiersOf(req, codeTiers).includes(tier))
      .sort((a, b) => Number(a.raw.when !== undefined) - Number(b.raw.when !== undefined));
    const kinds = new Set<SelfAssessmentKind>();
    const filing = new Set<FilingKind>();
    for (const { raw } of applicable) {
      for (const id of raw.items) {
        const item = items[id];
        if (item?.selfAssessmentKind) kinds.add(item.selfAssessmentKind);
        item?.filingKinds.forEach((k) => filing.add(k));
      }
    }
    selfAssessmentKinds[tier] = [...kinds];
    filingKinds[tier] = [...filing];
  }

  return {
    evidence: {
      recency: {
        pipiaMaxAgeDays: file.recency.pipiaMaxAgeDays,
        selfAssessmentMaxAgeDays: file.recency.selfAssessmentMaxAgeDays,
        ageLimitTiers: file.recency.ageLimitTiers,
      },
      items,
      requirements,
      requirementsByTier,
      filingKinds,
      selfAssessmentKinds,
    },
    issues,
  };
}
