// transfers/judge-review: the four-eyes rule as a pure function (api.md §6: releasing a held transfer overrides
// the rules, so it needs two different reviewers; one rejection ends it; nobody decides their own submission).
// Takes the transfer's review state and one decision, answers what to write. No I/O: the store only applies it.
import type { Decision, ReleaseInfo, TransferStatus } from '../registry/transfer.js';

/** What the rule reads of a transfer. */
export interface ReviewState {
  readonly status: TransferStatus;
  readonly submittedBy: string;
  readonly decisions: readonly Decision[];
}

export type ReviewJudgement =
  | {
      readonly ok: true;
      /** `held` (more approvals needed), `releasing` (enough distinct approvers) or `rejected`. */
      readonly status: TransferStatus;
      /** Every decision so far with this one appended (a repeated approval is kept, but counts once). */
      readonly decisions: readonly Decision[];
      /** Set when the decision releases the transfer. */
      readonly release: ReleaseInfo | null;
    }
  | { readonly ok: false; readonly reason: 'own_transfer' }
  | { readonly ok: false; readonly reason: 'not_held'; readonly current: TransferStatus };

/** The distinct reviewers who approved, in the order of their first approval. */
export function approversOf(decisions: readonly Decision[]): string[] {
  return [...new Set(decisions.filter((d) => d.decision === 'approve').map((d) => d.reviewer))];
}

export function judgeReview(
  state: ReviewState,
  decision: Decision,
  approvalsNeeded: number,
): ReviewJudgement {
  if (state.status !== 'held') return { ok: false, reason: 'not_held', current: state.status };
  if (state.submittedBy === decision.reviewer) return { ok: false, reason: 'own_transfer' };
  const decisions = [...state.decisions, decision];
  if (decision.decision === 'reject') return { ok: true, status: 'rejected', decisions, release: null };
  if (approversOf(decisions).length >= approvalsNeeded) {
    return {
      ok: true,
      status: 'releasing',
      decisions,
      release: { at: decision.at, by: 'review', ledgerIndex: null },
    };
  }
  return { ok: true, status: 'held', decisions, release: null };
}
