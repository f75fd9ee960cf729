// policies/policy-files: the schema of each policy file kind (policies/*.yaml), as TypeBox schemas checked by the
// platform Ajv wrapper: unknown fields and bad values are reported with JSON Pointers. Conditions are checked by
// policies/condition, cross-file rules by parse-policy. Pure.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { createParser } from '../platform/schema.js';
import { businessTypes, legalBases } from './manifest.js';
import { checkNames, ftzAreas, tiers } from './classification.js';
import { evidenceFields, regulationFlags } from './fact-catalogue.js';

const enumOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const strict = { additionalProperties: false } as const;
const Text = Type.String({ minLength: 1, maxLength: 2000 });
const Count = Type.Integer({ minimum: 0, maximum: 2_000_000_000 });
const Code = Type.String({ pattern: '^R-[A-Z0-9]+(-[A-Z0-9]+)+$' });
/** A condition is validated by policies/condition, which gives sharper messages than a recursive union. */
const Condition = Type.Unknown();

export const policyKinds = [
  'thresholds',
  'settings',
  'scenarios',
  'decision-table',
  'evidence',
  'ftz-list',
  'working-days',
  'minimisation',
] as const;
export type PolicyKind = (typeof policyKinds)[number];

export const ThresholdsFile = Type.Object(
  {
    kind: Type.Literal('thresholds'),
    nonSensitive: Type.Object({ standardContract: Count, securityAssessment: Count }, strict),
    sensitive: Type.Object({ standardContract: Count, securityAssessment: Count }, strict),
  },
  strict,
);

export const SettingsFile = Type.Object(
  {
    kind: Type.Literal('settings'),
    volume: Type.Object(
      { countExemptRoutePi: Type.Boolean(), exemptRouteReasons: Type.Array(Code, { uniqueItems: true }) },
      strict,
    ),
    consent: Type.Object(
      {
        requiredForBases: Type.Array(enumOf(legalBases), { uniqueItems: true }),
        alwaysForSensitive: Type.Boolean(),
      },
      strict,
    ),
    ftz: Type.Object(
      {
        nationalExemptionsFirst: Type.Boolean(),
        listOverridesNationalThreshold: Type.Boolean(),
        allowExampleLists: Type.Boolean(),
      },
      strict,
    ),
    identity: Type.Object({ bareResidentIdSensitive: Type.Boolean() }, strict),
    grade: Type.Object(
      { importantFlags: Type.Array(enumOf(regulationFlags), { uniqueItems: true }) },
      strict,
    ),
  },
  strict,
);

export const ScenariosFile = Type.Object(
  {
    kind: Type.Literal('scenarios'),
    lists: Type.Record(
      Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$' }),
      Type.Array(enumOf(businessTypes), { minItems: 1, uniqueItems: true }),
    ),
  },
  strict,
);

const ReasonEntry = Type.Object(
  { code: Code, rule: Text, message: Text, messageZh: Text, when: Type.Optional(Condition) },
  strict,
);

export const DecisionTableFile = Type.Object(
  {
    kind: Type.Literal('decision-table'),
    rows: Type.Array(
      Type.Object(
        {
          // The rules reference §10.2 row number; rows added since carry one decimal (14.1 follows 14).
          row: Type.Number({ minimum: 1, maximum: 1000 }),
          condition: Text,
          group: Type.Optional(enumOf(['ftz_list', 'national_exemption'] as const)),
          when: Condition,
          tier: enumOf(tiers),
          reasons: Type.Array(ReasonEntry, { minItems: 1 }),
          escalation: Type.Optional(
            Type.Object(
              {
                note: Type.Optional(Text),
                when: Condition,
                tier: enumOf(tiers),
                cite: Type.Array(Code, { minItems: 1, uniqueItems: true }),
              },
              strict,
            ),
          ),
        },
        strict,
      ),
      { minItems: 1 },
    ),
    annotations: Type.Array(
      Type.Object(
        {
          code: Code,
          rule: Text,
          message: Text,
          messageZh: Text,
          when: Condition,
          // Holds the transfer: the decision becomes this tier unless the row decided a stricter one.
          raisesTo: Type.Optional(Type.Literal('manual_review')),
        },
        strict,
      ),
    ),
  },
  strict,
);

export const EvidenceFile = Type.Object(
  {
    kind: Type.Literal('evidence'),
    recency: Type.Object(
      {
        pipiaMaxAgeDays: Type.Integer({ minimum: 1, maximum: 3660 }),
        selfAssessmentMaxAgeDays: Type.Integer({ minimum: 1, maximum: 3660 }),
        ageLimitTiers: Type.Array(enumOf(tiers), { uniqueItems: true }),
      },
      strict,
    ),
    items: Type.Array(
      Type.Object(
        {
          id: Type.String({ pattern: '^[a-z0-9_]+(:[a-z0-9_|]+)?$' }),
          description: Text,
          rule: Text,
          check: Type.Union([enumOf(checkNames), Type.Literal('none')]),
          selfAssessmentKind: Type.Optional(enumOf(['pipia', 'risk_self_assessment'] as const)),
          filingKinds: Type.Optional(
            Type.Array(enumOf(['standard_contract', 'certification', 'security_assessment'] as const), {
              minItems: 1,
              uniqueItems: true,
            }),
          ),
          manifestRef: Type.Optional(enumOf(evidenceFields)),
        },
        strict,
      ),
      { minItems: 1 },
    ),
    requirements: Type.Array(
      Type.Object(
        {
          tiers: Type.Optional(Type.Array(enumOf(tiers), { minItems: 1, uniqueItems: true })),
          reasons: Type.Optional(Type.Array(Code, { minItems: 1, uniqueItems: true })),
          when: Type.Optional(Condition),
          items: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true }),
        },
        strict,
      ),
    ),
  },
  strict,
);

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const FtzListFile = Type.Object(
  {
    kind: Type.Literal('ftz-list'),
    example: Type.Boolean(),
    areas: Type.Array(enumOf(ftzAreas), { minItems: 1, uniqueItems: true }),
    entries: Type.Array(
      Type.Object(
        {
          list_id: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]*$', maxLength: 128 }),
          version: Type.String({ minLength: 1, maxLength: 64 }),
          effective_from: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
          sector: Text,
          scenario: Type.Union([enumOf(businessTypes), Type.Literal('*')]),
          data_field: Type.String({ pattern: '^[a-z0-9_]+$', maxLength: 64 }),
          grade_flag: enumOf(['general', 'important'] as const),
          mechanism: enumOf(['SA', 'SCC_CERT'] as const),
          threshold_ns: Nullable(Type.Integer({ minimum: 1 })),
          threshold_s: Nullable(Type.Integer({ minimum: 1 })),
          notes: Type.String({ maxLength: 2000 }),
        },
        strict,
      ),
    ),
  },
  strict,
);

const IsoDay = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const WorkingDaysFile = Type.Object(
  {
    kind: Type.Literal('working-days'),
    years: Type.Record(
      Type.String({ pattern: '^\\d{4}$' }),
      Type.Object(
        {
          source: Text,
          holidays: Type.Array(IsoDay, { uniqueItems: true, maxItems: 366 }),
          workdays: Type.Array(IsoDay, { uniqueItems: true, maxItems: 366 }),
        },
        strict,
      ),
    ),
  },
  strict,
);

const MinimisationReason = Type.Object({ code: Code, rule: Text, message: Text, messageZh: Text }, strict);

/** minimisation.yaml (issue #20): when a minimised transfer may be classified on what leaves. */
export const MinimisationFile = Type.Object(
  {
    kind: Type.Literal('minimisation'),
    kMinimum: Type.Integer({ minimum: 2, maximum: 1_000_000 }),
    quasiIdentifierColumns: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { uniqueItems: true }),
    reasons: Type.Object(
      { deidentified: MinimisationReason, kBelowMinimum: MinimisationReason, applied: MinimisationReason },
      strict,
    ),
  },
  strict,
);

export type ThresholdsFile = Static<typeof ThresholdsFile>;
export type MinimisationFile = Static<typeof MinimisationFile>;
export type SettingsFile = Static<typeof SettingsFile>;
export type ScenariosFile = Static<typeof ScenariosFile>;
export type DecisionTableFile = Static<typeof DecisionTableFile>;
export type EvidenceFile = Static<typeof EvidenceFile>;
export type FtzListFile = Static<typeof FtzListFile>;

export const parseThresholdsFile = createParser(ThresholdsFile);
export const parseSettingsFile = createParser(SettingsFile);
export const parseScenariosFile = createParser(ScenariosFile);
export const parseDecisionTableFile = createParser(DecisionTableFile);
export const parseEvidenceFile = createParser(EvidenceFile);
export const parseFtzListFile = createParser(FtzListFile);
export const parseWorkingDaysFile = createParser(WorkingDaysFile);
export const parseMinimisationFile = createParser(MinimisationFile);
