// policies/manifest: the transfer manifest of api.md §6 — its schema, its static type, and the parser that
// turns untrusted JSON into it with JSON-Pointer issues. Pure: no I/O, no clock.
import { Type, type Static } from '@sinclair/typebox';
import { createParser, type Parsed } from '../platform/schema.js';
import type { FieldIssue } from '../platform/errors.js';
import { checkMinimisePlan, MinimisePlanSchema } from './minimise-plan.js';

export const businessTypes = [
  'cross_border_ecommerce',
  'cross_border_logistics',
  'cross_border_payment',
  'supply_chain',
  'cross_border_trade',
  'cross_border_finance',
  'cross_border_tourism',
  'hr_management',
  'academic_cooperation',
  'manufacturing',
  'service_outsourcing',
  // Provisions 2024 art. 5(1) names exam services among its contract scenarios (rules reference §0.1 C4).
  'exam_services',
  'other',
] as const;
export type BusinessType = (typeof businessTypes)[number];

export const exemptionCodes = [
  'EX-ART3',
  'EX-ART4',
  'EX-ART5-1',
  'EX-ART5-2',
  'EX-ART5-3',
  'EX-ART6',
  'EX-NDSMR35-6',
] as const;
export type ExemptionCode = (typeof exemptionCodes)[number];

export const specialFlags = [
  'state_secret',
  'export_controlled',
  'human_genetic',
  'geographic',
  'automotive_important',
  'financial',
  'foreign_authority_request',
] as const;
export type SpecialFlag = (typeof specialFlags)[number];

export const legalBases = [
  'consent',
  'contract',
  'hr',
  'statutory_duty',
  'emergency',
  'news',
  'disclosed',
  'other_law',
] as const;
export type LegalBasis = (typeof legalBases)[number];

/** ISO 3166-1 alpha-2 codes of the ten ASEAN member states: the gateway exports toward ASEAN only. */
export const aseanCountries = ['BN', 'KH', 'ID', 'LA', 'MY', 'MM', 'PH', 'SG', 'TH', 'VN'] as const;
export type AseanCountry = (typeof aseanCountries)[number];

const enumOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** USCC shape (GB 32100): 18 characters from the code's alphabet. The check character is verified separately. */
export const usccPattern = '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$';
const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' });
const Ref = Type.String({ minLength: 1, maxLength: 256 });
const Category = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9_]+$' });
const Count = Type.Integer({ minimum: 0, maximum: 2_000_000_000 });

export const ManifestSchema = Type.Object(
  {
    exporterId: Type.String({ pattern: usccPattern }),
    businessType: enumOf(businessTypes),
    purpose: Type.String({ minLength: 1, maxLength: 2000 }),
    partnerId: Id,
    endpointId: Id,
    destinationCountry: enumOf(aseanCountries),
    dataCategories: Type.Array(Category, { maxItems: 64, uniqueItems: true }),
    declaredGrade: enumOf(['general', 'important', 'core'] as const),
    importantDataSuspected: Type.Optional(Type.Boolean()),
    personalInfo: Type.Object(
      {
        individuals: Count,
        sensitiveIndividuals: Count,
        minorsUnder14: Type.Optional(Type.Boolean()),
        // api.md §6: the number of under-14s; all their PI is sensitive (PIPL art. 28; rules reference §0.1 C9).
        minorIndividuals: Type.Optional(Count),
        origin: Type.Optional(enumOf(['domestic', 'foreign_only'] as const)),
      },
      { additionalProperties: false },
    ),
    legalBasis: Type.Optional(enumOf(legalBases)),
    exemption: Type.Optional(Type.Union([Type.Null(), enumOf(exemptionCodes)])),
    specialFlags: Type.Optional(
      Type.Array(enumOf(specialFlags), { maxItems: specialFlags.length, uniqueItems: true }),
    ),
    evidence: Type.Optional(
      Type.Object(
        {
          selfAssessmentId: Type.Optional(Id),
          attestationId: Type.Optional(Id),
          filingId: Type.Optional(Id),
          noticeRecordRef: Type.Optional(Ref),
          consentRecordRef: Type.Optional(Ref),
          contractRef: Type.Optional(Ref),
          exportLicenceRef: Type.Optional(Ref),
          sectorApprovalRef: Type.Optional(Ref),
        },
        { additionalProperties: false },
      ),
    ),
    // Issue #20: what to drop, mask, generalise or pseudonymise at intake, before anything is stored.
    minimise: Type.Optional(MinimisePlanSchema),
  },
  { additionalProperties: false },
);

export type Manifest = Static<typeof ManifestSchema>;
export type Evidence = NonNullable<Manifest['evidence']>;

const parseShape = createParser(ManifestSchema);

/** Rules no schema keyword can say: they relate two fields. */
function checkConsistency(m: Manifest): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (m.personalInfo.sensitiveIndividuals > m.personalInfo.individuals) {
    issues.push({
      path: '/personalInfo/sensitiveIndividuals',
      message:
        'cannot exceed personalInfo.individuals (a person with sensitive PI is also counted as an individual)',
    });
  }
  const { minorsUnder14, minorIndividuals, sensitiveIndividuals, individuals } = m.personalInfo;
  // api.md §6; rules reference §0.1 C9: the number of under-14s decides, not the flag (PIPL art. 28).
  if (minorsUnder14 === true && minorIndividuals === undefined && sensitiveIndividuals === 0) {
    issues.push({
      path: '/personalInfo/minorIndividuals',
      message:
        'is required when minorsUnder14 is true and sensitiveIndividuals is 0: all PI of under-14s is sensitive (PIPL art. 28), so their number counts toward the sensitive total',
    });
  }
  if (minorIndividuals !== undefined && minorIndividuals > individuals) {
    issues.push({
      path: '/personalInfo/minorIndividuals',
      message: 'cannot exceed personalInfo.individuals (a minor is also counted as an individual)',
    });
  }
  if (minorsUnder14 === false && minorIndividuals !== undefined && minorIndividuals > 0) {
    issues.push({
      path: '/personalInfo/minorsUnder14',
      message: 'is false but minorIndividuals counts under-14s',
    });
  }
  if (m.personalInfo.individuals > 0 && m.legalBasis === undefined) {
    issues.push({
      path: '/legalBasis',
      message: 'is required when the transfer contains personal information (PIPL art. 13)',
    });
  }
  if (m.minimise !== undefined) issues.push(...checkMinimisePlan(m.minimise));
  return issues;
}

/** Parses untrusted JSON into a Manifest, or into every issue found, each with its JSON Pointer. */
export function parseManifest(input: unknown): Parsed<Manifest> {
  const shaped = parseShape(input);
  if (!shaped.ok) return shaped;
  const issues = checkConsistency(shaped.value);
  return issues.length > 0 ? { ok: false, issues } : shaped;
}
