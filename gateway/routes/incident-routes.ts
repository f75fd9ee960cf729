// gateway/routes/incident-routes: incidents (issue #19 item 4) for the exporter (its own only; another
// exporter's is 404) and for reviewers, ops and admins (all), each with its reporting clock and whether the
// report is now late.
import { Router } from 'express';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { Incident, IncidentStore } from '../../registry/incident-store.js';
import { principalOf, requireRole } from '../auth.js';
import { paramId } from '../params.js';
import { canSeeExporter } from '../scope.js';

const listLimit = 200;

export function createIncidentRoutes(deps: { incidents: IncidentStore; clock: Clock }): Router {
  const router = Router();
  const readers = requireRole('enterprise', 'reviewer', 'ops', 'admin');
  const view = (incident: Incident) => ({
    ...incident,
    reportingClock: {
      ...incident.reportingClock,
      late: deps.clock.now().getTime() > Date.parse(incident.reportingClock.reportBy),
    },
  });

  router.get('/v1/incidents', readers, async (_req, res) => {
    const principal = principalOf(res);
    if (principal.role === 'enterprise' && principal.exporter === undefined) throw new AppError('FORBIDDEN');
    const scope = principal.role === 'enterprise' ? principal.exporter : undefined;
    res.json({ items: (await deps.incidents.list(scope, listLimit)).map(view) });
  });

  router.get('/v1/incidents/:id', readers, async (req, res) => {
    const incident = await deps.incidents.get(paramId(req, 'id'));
    if (incident === null || !canSeeExporter(principalOf(res), incident.exporterId))
      throw new AppError('NOT_FOUND');
    res.json(view(incident));
  });

  return router;
}
