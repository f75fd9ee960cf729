// gateway/app: the Express application — the request lifecycle in order: request id, metrics, health and
// metrics endpoints, authentication, the /v1 routes, then the one error handler. Built from injected
// dependencies; the composition root (start-gateway.ts) creates them.
import express, { type RequestHandler, type Router } from 'express';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import { createAuthenticate } from './auth.js';
import { createErrorHandler, notFoundHandler } from './error-handler.js';
import { createHttpMetrics } from './http-metrics.js';
import type { TokenVerifier } from './principal.js';
import { assignRequestId } from './request-id.js';

export interface AppParts {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly verifyToken: TokenVerifier;
  /** Routes that need no token: health, metrics, the console's static files. */
  readonly publicRoutes: readonly Router[];
  /** The /v1 API: every route behind bearer authentication. */
  readonly apiRoutes: readonly Router[];
}

/** Registry and review bodies are small JSON documents; payloads go through multipart intake instead. */
const jsonLimit = '1mb';

export function createApp(parts: AppParts): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  app.use(assignRequestId);
  app.use(createHttpMetrics(parts.metrics));
  for (const router of parts.publicRoutes) app.use(router);
  const authenticate: RequestHandler = createAuthenticate(parts.verifyToken, parts.clock);
  app.use('/v1', authenticate, express.json({ limit: jsonLimit, strict: true }));
  for (const router of parts.apiRoutes) app.use(router);
  app.use(notFoundHandler);
  app.use(createErrorHandler(parts.logger));
  return app;
}
