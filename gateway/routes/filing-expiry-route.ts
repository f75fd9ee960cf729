// gateway/routes/filing-expiry-route: GET /v1/filings/expiring — active filings that run out within the
// warning window (registry/filing-expiry.ts), soonest first, for the reviewers' renewal follow-up. Mounted
// before the registry routes so `expiring` is not taken for a filing id.
import { Router } from 'express';
import type { Clock } from '../../platform/clock.js';
import { expiryWarningWorkingDays, listExpiringFilings } from '../../registry/filing-expiry.js';
import type { RegistryStore } from '../../registry/registry-store.js';
import { requireRole } from '../auth.js';

export function createFilingExpiryRoute(deps: {
  registry: Pick<RegistryStore, 'listFilings'>;
  clock: Clock;
}): Router {
  const router = Router();
  router.get('/v1/filings/expiring', requireRole('reviewer', 'admin', 'ops'), async (_req, res) => {
    const items = listExpiringFilings(await deps.registry.listFilings(), deps.clock.now());
    res.json({ workingDays: expiryWarningWorkingDays, items });
  });
  return router;
}
