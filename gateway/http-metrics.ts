// gateway/http-metrics: request counts and durations by route *template* (never the raw path, which holds
// ids), method and status — closed label sets (api.md §9).
import type { Request, RequestHandler } from 'express';
import type { Metrics } from '../platform/metrics.js';

const methods = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);

function routeOf(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : 'unmatched';
}

export function createHttpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const method = methods.has(req.method) ? req.method : 'OTHER';
      const route = routeOf(req);
      metrics.httpRequests.inc({ route, method, status: String(res.statusCode) });
      metrics.httpDuration.observe({ route, method }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
