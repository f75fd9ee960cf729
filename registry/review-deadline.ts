// registry/review-deadline: when a held transfer's review is overdue (api.md §11 XBORDER_REVIEW_SLA_HOURS) —
// the pure rule, and the listing of overdue held transfers from the held index for the sweeper, the gauge and
// the console queue. The clock runs from when the transfer entered `held`, not from its submission: a transfer
// held at delivery (revoked evidence) starts a fresh review.
import type { TransferRecord } from './transfer.js';
import type { TransferStore } from './transfer-store.js';

export function reviewDueAt(record: Pick<TransferRecord, 'statusSince'>, slaMs: number): Date {
  return new Date(Date.parse(record.statusSince) + slaMs);
}

export function isReviewOverdue(
  record: Pick<TransferRecord, 'status' | 'statusSince'>,
  slaMs: number,
  now: Date,
): boolean {
  return record.status === 'held' && reviewDueAt(record, slaMs) <= now;
}

/** The held queue is small (reviewers work it down); this bound keeps one sweep bounded whatever happens. */
const maxHeldScanned = 10_000;
const page = 200;

export async function listOverdueReviews(
  transfers: TransferStore,
  slaMs: number,
  now: Date,
): Promise<TransferRecord[]> {
  const out: TransferRecord[] = [];
  let cursor: string | undefined;
  for (let seen = 0; seen < maxHeldScanned; seen += page) {
    const result = await transfers.list({
      status: 'held',
      order: 'oldest',
      limit: page,
      ...(cursor === undefined ? {} : { cursor }),
    });
    out.push(...result.items.filter((r) => isReviewOverdue(r, slaMs, now)));
    if (result.nextCursor === null) break;
    cursor = result.nextCursor;
  }
  return out;
}
