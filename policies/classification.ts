// policies/classification: the vocabulary of a decision — tiers, grades, checks, the classifier's input and its answer
// (regulation.md §10.1 inputs, §10.2 tiers, api.md §6 classification). Types and closed sets only; no logic.
import type { BusinessType, Manifest } from './manifest.js';

/** api.md §6 tiers. T0→prohibited, HOLD/T0-HOLD→manual_review, T4→security_assessment, T3→standard_contract,
 * T2→exempt, T1→free_flow (regulation.md §10.2). Ordered strictest first. */
export const tiers = [
  'prohibited',
  'manual_review',
  'security_assessment',
  'standard_contract',
  'exempt',
  'free_flow',
] as const;
export type Tier = (typeof tiers)[number];

/** regulation.md §10.1 I2: `important` is split by Prov. 2024 art. 2 into notified/published vs merely suspected. */
export const dataGrades = ['core', 'important_notified', 'important_suspected', 'general'] as const;
export type DataGrade = (typeof dataGrades)[number];

/** The three worker checks of design.md "Flow of one transfer" step 4. */
export const checkNames = ['self_assessment', 'attestation', 'filing'] as const;
export type CheckName = (typeof checkNames)[number];

export const ftzAreas = ['nanning', 'qinzhou', 'chongzuo'] as const;
export type FtzArea = (typeof ftzAreas)[number];

/** regulation.md §10.1 I7: the mechanism an FTZ negative-list entry requires, or `none` when nothing on the list matched. */
export type FtzMatch = 'none' | 'SA' | 'SCC_CERT';

export interface ClassificationInput {
  readonly manifest: Manifest;
  readonly exporter: { readonly ciio: boolean; readonly ftzArea: FtzArea | null };
  /** recipient_restricted: the partner is on the PIPL art. 42 list (from the registry). */
  readonly partner: { readonly restricted: boolean };
  /** Content inspection of the payload; null for POST /v1/classify, which has no payload. */
  readonly inspection: {
    readonly containsPi: boolean;
    readonly containsSpi: boolean;
    readonly individualsDetected: number;
    readonly sensitiveIndividualsDetected: number;
    /**
     * Mainland identifiers found (resident ID numbers, mainland mobile numbers): evidence of domestic PI, which
     * contradicts an art. 4 "collected abroad only" declaration (rules reference §0.1 C5). Absent = 0.
     */
    readonly domesticIdentifiersDetected?: number;
    /** Parts inspection could not read (api.md §6 R-INSPECT-OPAQUE); absent counts as none. */
    readonly opaqueParts?: number;
  } | null;
  /** The exporter's yearly totals since 1 January BEFORE this transfer (regulation.md §1.2). */
  readonly volume: { readonly individualsYtd: number; readonly sensitiveYtd: number };
  readonly now: Date;
}

export interface Reason {
  readonly code: string;
  /** The rule the code cites, e.g. "Provisions 2024 art. 7(2)". */
  readonly rule: string;
  /** English text (api.md §6: the default language of reason messages). */
  readonly message: string;
  /** Chinese text of the same reason, answered for `Accept-Language: zh…` (api.md §6). */
  readonly messageZh: string;
}

/** One decision-table row as evaluated: matched, failed (with the first condition that failed) or skipped
 * because an earlier row already matched (first match wins, regulation.md §10.2). */
export interface TraceStep {
  readonly row: number;
  /** The row's reason code(s), `/`-separated when a row can cite several (rows 6, 20, 21). */
  readonly code: string;
  readonly matched: boolean;
  /** The condition that failed, human-readable; absent when matched or skipped. */
  readonly failed?: string;
  /** true when the row was not evaluated because an earlier row matched. */
  readonly skipped?: true;
}

/** The facts the decision table is evaluated on (regulation.md §10.1 I1–I10), as derived from the input. */
export interface Facts {
  readonly ciio: boolean;
  readonly grade: DataGrade;
  readonly containsPi: boolean;
  readonly containsSpi: boolean;
  readonly minorsUnder14: boolean;
  /** This transfer: max(declared, detected) per kind. */
  readonly individuals: number;
  readonly sensitiveIndividuals: number;
  /** Yearly totals since 1 January including this transfer (N_ns_ytd_projected, N_s_ytd_projected). */
  readonly projectedIndividuals: number;
  readonly projectedSensitive: number;
  readonly businessType: BusinessType;
  readonly origin: 'domestic' | 'foreign_only';
  readonly exemption: string;
  readonly legalBasis: string;
  /** Special flags in the regulation's vocabulary (§10.1 I9), recipient_restricted included. */
  readonly flags: readonly string[];
  /** Names of the manifest `evidence` fields that are present. */
  readonly evidence: readonly string[];
  readonly ftzRegistered: boolean;
  readonly ftzListInForce: boolean;
  readonly ftzMatch: FtzMatch | 'not_applicable';
  readonly undeclaredPi: boolean;
  readonly undeclaredSpi: boolean;
  /** Content shows mainland identifiers (Provisions 2024 art. 4: no domestic PI introduced; §0.1 C5). */
  readonly domesticIdentifiers: boolean;
  /** Some part of the payload could not be read (encrypted, unknown binary, a bound reached; api.md §6). */
  readonly opaqueContent: boolean;
}

export interface Classification {
  readonly businessType: BusinessType;
  readonly grade: DataGrade;
  readonly tier: Tier;
  /** The tier reason(s) first, then annotations such as R-INSPECT-UNDECLARED-PI. */
  readonly reasons: readonly Reason[];
  /** Evidence item ids from the evidence table (regulation.md §10.3), e.g. 'pipia', 'filing:security_assessment'. */
  readonly requiredEvidence: readonly string[];
  /** The worker checks this tier needs; none for free_flow, prohibited and manual_review. */
  readonly requiredChecks: readonly CheckName[];
  readonly policyVersion: string;
  /** PROJECTED yearly totals, this transfer included. */
  readonly volume: { readonly individualsYtd: number; readonly sensitiveYtd: number };
  /** This transfer: max(declared, detected) per kind. */
  readonly thisTransfer: { readonly individuals: number; readonly sensitiveIndividuals: number };
  /** Whether this transfer's individuals go into the yearly counters after delivery (settings volume.countExemptRoutePi). */
  readonly countsTowardTotals: boolean;
  readonly ftz: {
    readonly area: string | null;
    readonly listId: string | null;
    readonly listVersion: string | null;
    readonly match: FtzMatch | null;
    /** Why no list is in force for a registered exporter (e.g. the only list is example data); null otherwise.
     * Absent on records decided before December 2026. */
    readonly notInForce?: string | null;
  };
  /** The row that decided (its number in regulation.md §10.2). */
  readonly matchedRow: number;
  /** Every row in evaluation order. */
  readonly trace: readonly TraceStep[];
  /** The derived inputs the table was evaluated on: what the ledger logs as "inputs" (regulation.md §10.4). */
  readonly facts: Facts;
}
