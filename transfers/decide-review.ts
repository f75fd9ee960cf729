// transfers/decide-review: one reviewer's decision on a held transfer — read its review state, judge it by the
// four-eyes rule (judge-review.ts), and have the store write the outcome only if nothing changed meanwhile
// (compare-and-set); two reviewers deciding at once both count, one after the other. Must not judge in Redis.
import type { Decision, TransferStatus } from '../registry/transfer.js';
import type { TransferStore } from '../registry/transfer-store.js';
import { judgeReview } from './judge-review.js';

export type DecideResult =
  | { readonly ok: true; readonly status: TransferStatus }
  | {
      readonly ok: false;
      readonly reason: 'missing' | 'own_transfer' | 'not_held';
      readonly current?: TransferStatus;
    };

/** Rounds before giving up: each repeats only when another decision or transition landed in between. */
const maxRounds = 20;

export async function decideReview(
  store: Pick<TransferStore, 'reviewState' | 'recordReview'>,
  id: string,
  decision: Decision,
  approvalsNeeded: number,
): Promise<DecideResult> {
  for (let round = 0; round < maxRounds; round += 1) {
    const state = await store.reviewState(id);
    if (state === null) return { ok: false, reason: 'missing' };
    const judged = judgeReview(state, decision, approvalsNeeded);
    if (!judged.ok) return judged;
    const written = await store.recordReview(id, state, {
      status: judged.status,
      decisions: judged.decisions,
      release: judged.release,
      at: decision.at,
    });
    if (written === 'missing') return { ok: false, reason: 'missing' };
    if (written === 'ok') return { ok: true, status: judged.status };
  }
  throw new Error(`transfer ${id}: the review state kept changing; decision not recorded`);
}
