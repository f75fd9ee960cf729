// gateway/routes/ops-routes: GET /v1/ops/queues — the depth of every BullMQ queue per job state, for the ops
// view of the console (api.md §3: ops see queue state). Read-only; the same counts /metrics exports.
import { Router } from 'express';
import type { QueueState } from '../../platform/metrics.js';
import { requireRole } from '../auth.js';

export interface QueueDepths {
  jobCounts(): Promise<{ queue: string; state: QueueState; count: number }[]>;
}

export function createOpsRoutes(queues: QueueDepths): Router {
  const router = Router();
  router.get('/v1/ops/queues', requireRole('ops', 'admin'), async (_req, res) => {
    res.json({ items: await queues.jobCounts() });
  });
  return router;
}
