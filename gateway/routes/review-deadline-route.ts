// gateway/routes/review-deadline-route: held transfers waiting longer than XBORDER_REVIEW_SLA_HOURS (api.md §11
// review.overdue), for the console's overdue marker and reviewers' tooling. Enterprises see their own only.
import { Router } from 'express';
import type { Clock } from '../../platform/clock.js';
import { listOverdueReviews, reviewDueAt } from '../../registry/review-deadline.js';
import type { TransferStore } from '../../registry/transfer-store.js';
import { principalOf, requireRole } from '../auth.js';
import { canSeeExporter } from '../scope.js';

export function createReviewDeadlineRoute(deps: {
  transfers: TransferStore;
  clock: Clock;
  reviewSlaMs: number;
}): Router {
  const router = Router();
  router.get(
    '/v1/reviews/overdue',
    requireRole('enterprise', 'reviewer', 'ops', 'admin'),
    async (_req, res) => {
      const principal = principalOf(res);
      const overdue = await listOverdueReviews(deps.transfers, deps.reviewSlaMs, deps.clock.now());
      res.json({
        slaHours: deps.reviewSlaMs / 3_600_000,
        items: overdue
          .filter((r) => canSeeExporter(principal, r.exporterId))
          .map((r) => ({
            transferId: r.id,
            exporterId: r.exporterId,
            heldSince: r.statusSince,
            dueAt: reviewDueAt(r, deps.reviewSlaMs).toISOString(),
          })),
      });
    },
  );
  return router;
}
