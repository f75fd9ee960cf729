// registry/transfer: the shape of a transfer record as stored and as answered by GET /v1/transfers/:id.
// Types only; transfer-store.ts owns persistence and state transitions.
import type { Manifest } from '../policies/manifest.js';
import type { CheckName, Classification, Reason } from '../policies/classification.js';
import type { InspectionReport } from '../inspection/inspector.js';
import type { MinimisePlan } from '../policies/minimise-plan.js';
import type { MinimisationOutcome } from '../transfers/minimisation/create-minimiser.js';

export const transferStatuses = [
  'checking',
  'held',
  'releasing',
  'released',
  'delivery_failed',
  'rejected',
  'blocked',
] as const;
export type TransferStatus = (typeof transferStatuses)[number];

export interface CheckOutcome {
  readonly check: CheckName;
  readonly ok: boolean;
  readonly reasons: readonly Reason[];
  readonly at: string;
  /** Ids of the evidence records the check looked at (never their content). */
  readonly evidence: Readonly<Record<string, string>>;
}

export interface Decision {
  readonly reviewer: string;
  readonly decision: 'approve' | 'reject';
  readonly comment: string;
  readonly at: string;
}

/**
 * What one delivery attempt came to, and the fixed text shown beside it (api.md §5: enterprises see an outcome
 * code, never the raw network error — its text would make the gateway a port scanner of the partner's network).
 * `failed` is kept for records written before the codes were split; nothing writes it now.
 */
export const attemptOutcomes = {
  delivered: 'receipt verified',
  failed: 'the attempt failed',
  evidence_failed: 'the evidence no longer holds; held before delivery',
  endpoint_unregistered: 'the endpoint is no longer registered',
  address_not_allowed: 'the endpoint host resolves to an address outside the allowed networks',
  dns_error: 'the endpoint host name does not resolve',
  connect_refused: 'the endpoint refused the connection',
  unreachable: 'the endpoint network is unreachable',
  timeout: 'the endpoint did not answer in time',
  tls_error: 'the TLS handshake with the endpoint failed',
  connection_reset: 'the endpoint closed the connection',
  network_error: 'the connection to the endpoint failed',
  http_4xx: 'the endpoint refused the delivery (HTTP 4xx)',
  http_5xx: 'the endpoint failed to take the delivery (HTTP 5xx)',
  http_other: 'the endpoint gave an unexpected HTTP answer',
  conflict: 'the endpoint holds different bytes for this transfer (409)',
  receipt_invalid: 'the receipt is missing or does not verify',
  receipt_untrusted:
    'the receipt signing certificate does not chain to a trust anchor, or is revoked or expired',
  receipt_wrong_signer: "the receipt is not signed by the endpoint's partner",
  receipt_mismatch: 'the receipt names another transfer, digest or length',
  internal_error: 'the gateway could not prepare the delivery',
} as const satisfies Record<string, string>;

export type AttemptOutcome = keyof typeof attemptOutcomes;

export interface DeliveryAttempt {
  readonly attempt: number;
  readonly at: string;
  readonly outcome: AttemptOutcome;
  /** The outcome's fixed text (attemptOutcomes), plus an HTTP status; never a socket error or payload content. */
  readonly detail: string;
}

/** What intake learned from the payload: counts, confidence and masked samples only (never identifiers). */
export interface InspectionSummary {
  readonly bytes: number;
  readonly sha256: string;
  readonly findings: Readonly<Record<string, number>>;
  readonly individualsDetected: number;
  readonly sensitiveIndividualsDetected: number;
  /** Wrappings read and parts that could not be read (api.md §6); absent on records made before they existed. */
  readonly containers?: InspectionReport['containers'];
  readonly opaque?: InspectionReport['opaque'];
  /** The inspector's full report: counts, confidence and masked samples. */
  readonly detail: InspectionReport;
}

export interface ReleaseInfo {
  readonly at: string;
  /** `rules`: all checks passed; `review`: two reviewers overrode a hold. */
  readonly by: 'rules' | 'review';
  readonly ledgerIndex: number | null;
}

export interface ReceiptInfo {
  readonly jws: string;
  readonly receivedAt: string;
  readonly ledgerIndex: number | null;
}

/**
 * What a manifest's `minimise` plan did at intake (issue #20): the plan (column names and operations, never data),
 * the original's digest and inspection, both classifications side by side, and the k figure. The payload stored,
 * hashed and delivered is the minimised one (`inspection` describes it).
 */
export interface MinimisationSummary {
  readonly plan: MinimisePlan;
  readonly outcome: MinimisationOutcome;
  /** `detected`: classified on what leaves; `declared`: the declared counts were kept (R-MIN-* reasons say why). */
  readonly counts: 'declared' | 'detected';
  readonly kMinimum: number;
  /** The manifest the transfer was classified on (personalInfo per `counts`); the release stage classifies it again. */
  readonly classifiedManifest: Manifest;
  readonly before: {
    readonly bytes: number;
    readonly sha256: string;
    readonly findings: Readonly<Record<string, number>>;
    readonly individualsDetected: number;
    readonly sensitiveIndividualsDetected: number;
    readonly classification: Classification;
  };
}

/** The immutable part, written once at intake. */
export interface TransferCore {
  readonly id: string;
  readonly exporterId: string;
  readonly submittedBy: string;
  readonly createdAt: string;
  readonly manifest: Manifest;
  readonly classification: Classification;
  readonly inspection: InspectionSummary;
  /** Present when the manifest had a `minimise` plan. */
  readonly minimisation?: MinimisationSummary;
}

export interface TransferRecord extends TransferCore {
  readonly status: TransferStatus;
  readonly updatedAt: string;
  /** When the transfer entered its current status (e.g. since when it has been waiting as `held`). */
  readonly statusSince: string;
  readonly checks: Readonly<Partial<Record<CheckName, CheckOutcome>>>;
  readonly holdReasons: readonly Reason[];
  readonly decisions: readonly Decision[];
  /** Distinct reviewers who approved so far (four eyes: two are needed to release a held transfer). */
  readonly approvals: readonly string[];
  readonly deliveryAttempts: readonly DeliveryAttempt[];
  readonly release: ReleaseInfo | null;
  readonly receipt: ReceiptInfo | null;
}
