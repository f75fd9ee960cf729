// policies/derive-facts: the classifier's input → the facts the decision table is evaluated on (regulation.md
// §10.1), including this transfer's counts, the projected yearly totals (§1.2), the data grade and the FTZ match.
// Pure; the rows themselves are data and live in decision-table.yaml.
import type { SpecialFlag } from './manifest.js';
import type { ClassificationInput, DataGrade, Facts } from './classification.js';
import type { RegulationFlag } from './fact-catalogue.js';
import { matchFtzList, type FtzOutcome } from './match-ftz-list.js';
import type { Policy } from './policy.js';

/** api.md §6 special flags → the regulation's vocabulary (§10.1 I9). */
const flagNames: Readonly<Record<SpecialFlag, RegulationFlag>> = {
  state_secret: 'state_secret',
  export_controlled: 'export_controlled',
  human_genetic: 'hgr',
  geographic: 'geo',
  automotive_important: 'auto_important',
  financial: 'financial',
  foreign_authority_request: 'foreign_authority_request',
};

export function deriveFacts(input: ClassificationInput, policy: Policy): { facts: Facts; ftz: FtzOutcome } {
  const { manifest: m, inspection: seen, volume } = input;
  const pi = m.personalInfo;
  const minors = pi.minorIndividuals ?? 0;
  const minorsUnder14 = pi.minorsUnder14 === true || minors > 0;
  const detected = seen?.individualsDetected ?? 0;
  const detectedSensitive = seen?.sensitiveIndividualsDetected ?? 0;

  // This transfer = max(declared, detected) per kind, never under-counted (design.md "Volume counters"): content
  // that shows PI counts at least one person, all PI of under-14s is sensitive (PIPL art. 28), and a person
  // with sensitive PI is also an individual (counted in both totals, regulation.md §1.2 "Two counters").
  // Rules reference §0.1 C9 / api.md §6: minorIndividuals counts toward the sensitive total. Whether the declared
  // sensitive count already includes them is not said, so they are taken as distinct (never under-count), up to
  // the individuals declared.
  const declaredSensitive = Math.min(
    Math.max(pi.individuals, pi.sensitiveIndividuals),
    pi.sensitiveIndividuals + minors,
  );
  const sensitiveIndividuals = Math.max(
    declaredSensitive,
    detectedSensitive,
    seen?.containsSpi === true || minorsUnder14 ? 1 : 0,
  );
  const individuals = Math.max(
    pi.individuals,
    detected,
    seen?.containsPi === true ? 1 : 0,
    sensitiveIndividuals,
  );
  // Undeclared PI: the content shows more than the manifest declared (api.md §6 R-INSPECT-UNDECLARED-*).
  const undeclaredPi =
    seen !== null &&
    (detected > pi.individuals || ((seen.containsPi || seen.containsSpi) && pi.individuals === 0));
  const undeclaredSpi =
    seen !== null &&
    (detectedSensitive > pi.sensitiveIndividuals || (seen.containsSpi && pi.sensitiveIndividuals === 0));

  // Pre-check, not post-check: the totals since 1 January including this batch (regulation.md §1.2).
  const projectedIndividuals = volume.individualsYtd + individuals;
  const projectedSensitive = volume.sensitiveYtd + sensitiveIndividuals;

  const ftz = matchFtzList(
    {
      area: input.exporter.ftzArea,
      businessType: m.businessType,
      dataCategories: m.dataCategories,
      projectedIndividuals,
      projectedSensitive,
      nowMs: input.now.getTime(),
      allowExampleLists: policy.settings.ftz.allowExampleLists,
    },
    policy.ftzLists,
  );

  const flags: RegulationFlag[] = (m.specialFlags ?? []).map((f) => flagNames[f]);
  if (input.partner.restricted) flags.push('recipient_restricted');

  return {
    facts: {
      ciio: input.exporter.ciio,
      grade: gradeOf(
        m.declaredGrade,
        m.importantDataSuspected === true,
        ftz.declaresImportant,
        flags,
        policy,
      ),
      containsPi: individuals > 0,
      containsSpi: sensitiveIndividuals > 0,
      minorsUnder14,
      individuals,
      sensitiveIndividuals,
      projectedIndividuals,
      projectedSensitive,
      businessType: m.businessType,
      origin: pi.origin ?? 'domestic',
      exemption: m.exemption ?? 'none',
      legalBasis: m.legalBasis ?? 'undeclared',
      flags,
      evidence: m.evidence === undefined ? [] : Object.keys(m.evidence),
      ftzRegistered: input.exporter.ftzArea !== null,
      ftzListInForce: ftz.listId !== null,
      ftzMatch: ftz.match ?? 'not_applicable',
      undeclaredPi,
      undeclaredSpi,
      domesticIdentifiers: (seen?.domesticIdentifiersDetected ?? 0) > 0,
      // Content that could not be read is never taken as free of PI (api.md §6 R-INSPECT-OPAQUE).
      opaqueContent: (seen?.opaqueParts ?? 0) > 0,
    },
    ftz,
  };
}

/** Provisions 2024 art. 2 / NDSMR art. 37: data is important only when notified or published — declared important,
 * declared so by the FTZ list, or carrying a flag whose catalogue publishes it (settings grade.importantFlags, e.g.
 * automotive). Self-suspected important data is only `important_suspected` (manual identification, row 7). */
function gradeOf(
  declared: 'general' | 'important' | 'core',
  suspected: boolean,
  listDeclaresImportant: boolean,
  flags: readonly RegulationFlag[],
  policy: Policy,
): DataGrade {
  if (declared === 'core') return 'core';
  if (declared === 'important' || listDeclaresImportant) return 'important_notified';
  if (policy.settings.grade.importantFlags.some((f) => flags.includes(f))) return 'important_notified';
  return suspected ? 'important_suspected' : 'general';
}
