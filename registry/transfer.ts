// registry/transfer: the shape of a transfer record as stored and as answered by GET /v1/transfers/:id.
// Types only; transfer-store.ts owns persistence and state transitions.
import type { Manifest } from '../policies/manifest.js';
import type { CheckName, Classification, Reason } from '../policies/classification.js';
import type { InspectionReport } from '../inspection/inspector.js';

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

export type AttemptOutcome = 'delivered' | 'failed' | 'receipt_invalid' | 'conflict' | 'evidence_failed';

export interface DeliveryAttempt {
  readonly attempt: number;
  readonly at: string;
  readonly outcome: AttemptOutcome;
  /** A message for ops: endpoint status code or error class. Never payload content. */
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

/** The immutable part, written once at intake. */
export interface TransferCore {
  readonly id: string;
  readonly exporterId: string;
  readonly submittedBy: string;
  readonly createdAt: string;
  readonly manifest: Manifest;
  readonly classification: Classification;
  readonly inspection: InspectionSummary;
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
