// policies/policy: the shape of a loaded, validated, frozen policy — what parsePolicy/loadPolicy return and what
// classify and the evidence checks read. Types only; the data lives in policies/*.yaml.
import type { BusinessType, LegalBasis } from './manifest.js';
import type { CheckName, FtzArea, Reason, Tier, TraceStep } from './classification.js';
import type { ConditionCheck, ConditionNode } from './condition.js';
import type { RegulationFlag } from './fact-catalogue.js';
import type { WorkingDayCalendar } from './working-days.js';
import type { MinimisationPolicy } from './minimisation-policy.js';

/** Provisions 2024 arts. 5(4), 7, 8: counts of individuals, "以上" inclusive (regulation.md §1.2). */
export interface Thresholds {
  readonly nonSensitive: { readonly standardContract: number; readonly securityAssessment: number };
  readonly sensitive: { readonly standardContract: number; readonly securityAssessment: number };
}

/** The [U] items of regulation.md, as data (settings.yaml documents each). */
export interface Settings {
  readonly volume: { readonly countExemptRoutePi: boolean; readonly exemptRouteReasons: readonly string[] };
  readonly consent: {
    readonly requiredForBases: readonly LegalBasis[];
    readonly alwaysForSensitive: boolean;
  };
  readonly ftz: {
    readonly nationalExemptionsFirst: boolean;
    readonly listOverridesNationalThreshold: boolean;
    /** Rules reference §0.1: a list marked example is in force only when this is true (demos). */
    readonly allowExampleLists: boolean;
  };
  readonly grade: { readonly importantFlags: readonly RegulationFlag[] };
  /** [U] rules reference §0.1 C3: is a bare resident-ID number sensitive PI (GB/T 35273-2020 vs GB/T 45574-2025). */
  readonly identity: { readonly bareResidentIdSensitive: boolean };
}

export interface PolicyReason {
  readonly reason: Reason;
  /** When the reason applies within its row (rows 6, 20, 21 cite the code whose own test holds). */
  readonly check: ConditionCheck;
  readonly when: ConditionNode;
}

export interface DecisionRow {
  /** The row number of regulation.md §10.2. */
  readonly row: number;
  readonly group: 'ftz_list' | 'national_exemption' | null;
  /** The §10.2 condition in words. */
  readonly condition: string;
  readonly tier: Tier;
  readonly reasons: readonly PolicyReason[];
  /** Row 10's [U] escape: a national threshold beats an FTZ SCC/CERT entry unless the list overrides it. */
  readonly escalation: {
    readonly tier: Tier;
    readonly check: ConditionCheck;
    readonly cite: readonly PolicyReason[];
  } | null;
  readonly when: ConditionNode;
  readonly check: ConditionCheck;
  /** The trace code: the row's codes joined with `/`. */
  readonly code: string;
  readonly matchedStep: TraceStep;
  readonly skippedStep: TraceStep;
  /** The trace step for each text `check` can fail with (precomputed, so evaluation allocates nothing). */
  readonly failedSteps: ReadonlyMap<string, TraceStep>;
}

/** A reason added after the decision, e.g. R-INSPECT-UNDECLARED-PI. */
export interface Annotation {
  readonly reason: Reason;
  readonly check: ConditionCheck;
  /** When it applies, the decision is at least this strict (e.g. content contradicting the declaration is held). */
  readonly raisesTo: Tier | null;
}

export type SelfAssessmentKind = 'pipia' | 'risk_self_assessment';
export type FilingKind = 'standard_contract' | 'certification' | 'security_assessment';

/** One line of the evidence table (regulation.md §10.3). */
export interface EvidenceItem {
  readonly id: string;
  readonly description: string;
  readonly rule: string;
  /** The worker check that verifies the item; null when the gateway records it itself or a human checks it. */
  readonly check: CheckName | null;
  readonly selfAssessmentKind: SelfAssessmentKind | null;
  readonly filingKinds: readonly FilingKind[];
  /** The manifest evidence field that references the item, if any. */
  readonly manifestRef: string | null;
}

export interface EvidenceRequirement {
  readonly tiers: readonly Tier[] | null;
  readonly reasons: readonly string[] | null;
  readonly check: ConditionCheck;
  readonly items: readonly string[];
  /** The worker checks of its items (precomputed). */
  readonly checks: readonly CheckName[];
}

export interface EvidencePolicy {
  /** regulation.md §2 and §3: PIPIA / self-assessment completed within 3 months before filing or declaration [K/U]. */
  readonly recency: {
    readonly pipiaMaxAgeDays: number;
    readonly selfAssessmentMaxAgeDays: number;
    /** Rules reference §0.1 C6: the tiers whose assessments have an age limit, measured to the filing date. */
    readonly ageLimitTiers: readonly Tier[];
  };
  readonly items: Readonly<Record<string, EvidenceItem>>;
  readonly requirements: readonly EvidenceRequirement[];
  /** The requirements that can apply to each tier, in file order (precomputed for classify). */
  readonly requirementsByTier: Readonly<Record<Tier, readonly EvidenceRequirement[]>>;
  /** Filing kinds that satisfy each tier's filing item (derived from the items). */
  readonly filingKinds: Readonly<Record<Tier, readonly FilingKind[]>>;
  /** Self-assessment kinds each tier can require, the unconditional one first (derived from the requirements). */
  readonly selfAssessmentKinds: Readonly<Record<Tier, readonly SelfAssessmentKind[]>>;
}

/** regulation.md §7 list entry model. */
export interface FtzListEntry {
  readonly list_id: string;
  readonly version: string;
  readonly effective_from: string;
  readonly sector: string;
  /** A manifest business type, or `*` for any. */
  readonly scenario: BusinessType | '*';
  /** A manifest data category. */
  readonly data_field: string;
  /** `important`: the list declares the field important data (publication, Provisions 2024 art. 2). */
  readonly grade_flag: 'general' | 'important';
  readonly mechanism: 'SA' | 'SCC_CERT';
  readonly threshold_ns: number | null;
  readonly threshold_s: number | null;
  readonly notes: string;
}

export interface FtzListVersion {
  readonly listId: string;
  readonly version: string;
  readonly effectiveFrom: string;
  /** effective_from at 00:00 China Standard Time (UTC+8), in ms. */
  readonly effectiveFromMs: number;
  readonly entries: readonly FtzListEntry[];
}

export interface FtzList {
  readonly file: string;
  readonly listId: string;
  /** true for illustrative data that is not the official list text. */
  readonly example: boolean;
  readonly areas: readonly FtzArea[];
  /** Newest first. */
  readonly versions: readonly FtzListVersion[];
}

export interface Policy {
  /** sha256 (first 16 hex) of the policy files' names and bytes, sorted by name. */
  readonly policyVersion: string;
  readonly files: readonly string[];
  readonly thresholds: Thresholds;
  readonly settings: Settings;
  /** Named lists of business types (scenarios.yaml), referenced by conditions as `scenarios.<name>`. */
  readonly scenarios: Readonly<Record<string, readonly BusinessType[]>>;
  /** The decision table in evaluation order (settings may move rows 13–17 ahead of rows 9–10). */
  readonly rows: readonly DecisionRow[];
  readonly annotations: readonly Annotation[];
  readonly evidence: EvidencePolicy;
  readonly ftzLists: readonly FtzList[];
  /** State Council holiday arrangement per year (policies/working-days.yaml): every working-day deadline. */
  readonly workingDays: WorkingDayCalendar;
  /** minimisation.yaml: the k minimum, quasi-identifier column names and the R-MIN-* reasons (issue #20). */
  readonly minimisation: MinimisationPolicy;
}
