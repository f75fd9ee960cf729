// policies/judge-minimisation: what a minimisation plan may change in a classification (issue #20), and the
// manifest the transfer is then classified on. Pure. The law: only anonymised data leaves PIPL (art. 4, 73(4));
// masked or pseudonymised data is de-identified, still personal information (art. 73(3)), so the declared counts
// stay; dropping and generalising can lower the counts to what the result still shows, unless the quasi-
// identifiers that remain single out groups smaller than the policy's k (minimisation.yaml).
import type { Reason } from './classification.js';
import type { Manifest } from './manifest.js';
import type { MinimisationPolicy } from './minimisation-policy.js';

export interface MinimisationFacts {
  /** Some value was masked or pseudonymised. */
  readonly deidentified: boolean;
  readonly kAnonymity: {
    readonly k: number | null;
    readonly bounded: boolean;
    readonly quasiIdentifiers: readonly string[];
  };
}

export interface PeopleFound {
  readonly individuals: number;
  readonly sensitive: number;
}

export interface MinimisationJudgement {
  /** `declared`: the declared counts stay (the PI route is kept); `detected`: counted on what leaves. */
  readonly counts: 'declared' | 'detected';
  readonly kMinimum: number;
  /** R-MIN-* reasons, added after the tier's own reasons. */
  readonly reasons: readonly Reason[];
}

export function judgeMinimisation(
  facts: MinimisationFacts,
  policy: MinimisationPolicy,
): MinimisationJudgement {
  const reasons: Reason[] = [];
  if (facts.deidentified) reasons.push(policy.reasons.deidentified);
  const { k, bounded, quasiIdentifiers } = facts.kAnonymity;
  // No quasi-identifier left: no combination can single anyone out. Past the counter's bound k is unknown: fail closed.
  if (quasiIdentifiers.length > 0 && (bounded || (k !== null && k < policy.kMinimum)))
    reasons.push(policy.reasons.kBelowMinimum);
  if (reasons.length > 0) return { counts: 'declared', kMinimum: policy.kMinimum, reasons };
  return { counts: 'detected', kMinimum: policy.kMinimum, reasons: [policy.reasons.applied] };
}

/**
 * The manifest the minimised transfer is classified on. `declared`: the declared counts, raised to what the
 * original showed (the same people leave, de-identified). `detected`: the counts found in the result, minors
 * capped by them; nothing found means no personal information is declared for what leaves.
 */
export function manifestAfterMinimisation(
  manifest: Manifest,
  judgement: MinimisationJudgement,
  before: PeopleFound,
  after: PeopleFound,
): Manifest {
  const pi = manifest.personalInfo;
  if (judgement.counts === 'declared') {
    return {
      ...manifest,
      personalInfo: {
        ...pi,
        individuals: Math.max(pi.individuals, before.individuals, before.sensitive),
        sensitiveIndividuals: Math.max(pi.sensitiveIndividuals, before.sensitive),
      },
    };
  }
  const individuals = Math.max(after.individuals, after.sensitive);
  const minors = Math.min(pi.minorIndividuals ?? 0, individuals);
  // Declared under-14s may still be among the people that remain (PIPL art. 28: all their PI is sensitive).
  const minorsRemain = individuals > 0 && (pi.minorsUnder14 === true || minors > 0);
  return {
    ...manifest,
    personalInfo: {
      individuals,
      sensitiveIndividuals: Math.max(after.sensitive, minors, minorsRemain && minors === 0 ? 1 : 0),
      ...(pi.origin !== undefined ? { origin: pi.origin } : {}),
      ...(minorsRemain ? { minorsUnder14: true } : {}),
      ...(minors > 0 ? { minorIndividuals: minors } : {}),
    },
  };
}
