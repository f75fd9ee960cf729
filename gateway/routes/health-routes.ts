// gateway/routes/health-routes: liveness (/healthz: the process answers) and readiness (/readyz: Redis
// answers and the policy is loaded) for load balancers and orchestrators (api.md §9).
import { Router } from 'express';

export interface ReadinessProbe {
  /** Names of what is not ready; empty when ready. */
  check(): Promise<string[]>;
  /** What the process runs with, e.g. which FTZ negative list is in force (rules reference §0.1). No PI. */
  detail?(): Record<string, unknown>;
}

export function createHealthRoutes(readiness: ReadinessProbe): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const failing = await readiness.check();
    res.status(failing.length === 0 ? 200 : 503).json({
      status: failing.length === 0 ? 'ready' : 'not_ready',
      failing,
      ...(readiness.detail === undefined ? {} : { detail: readiness.detail() }),
    });
  });
  return router;
}
