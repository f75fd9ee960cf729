// gateway/routes/metrics-route: Prometheus text exposition of the injected registry. Gauges that mirror Redis
// state (held backlog, queue depth) are refreshed at scrape time, so they are right on every scrape.
import { Router } from 'express';
import type { Registry } from 'prom-client';

export function createMetricsRoute(registry: Registry, refresh: () => Promise<void>): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    await refresh();
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
