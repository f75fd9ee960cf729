// gateway/routes/me-route: GET /v1/me — who the bearer token says the caller is, so a client such as the
// review console can show the views of its role. Any authenticated role; nothing but the token's claims.
import { Router } from 'express';
import { principalOf } from '../auth.js';

export function createMeRoute(): Router {
  const router = Router();
  router.get('/v1/me', (_req, res) => {
    const { sub, role, exporter } = principalOf(res);
    res.json({ sub, role, exporter: exporter ?? null });
  });
  return router;
}
