// gateway/error-handler: the one place that turns errors into HTTP answers (api.md §4). Anything that is not
// an AppError is a bug or an outage: it is logged by class only and answered 500 without internals.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, errorCatalogue, type ErrorCode, type ErrorDetail } from '../platform/errors.js';
import { describeError, type Logger } from '../platform/logger.js';
import { requestIdOf } from './request-id.js';

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details: readonly ErrorDetail[];
  };
  readonly requestId: string;
}

export function errorBody(err: AppError, requestId: string): ErrorBody {
  return { error: { code: err.code, message: err.message, details: err.details }, requestId };
}

/** Express' own parsers throw errors with a `type` and `status`; they are the client's fault, not ours. */
function fromFramework(err: unknown): AppError | null {
  if (typeof err !== 'object' || err === null) return null;
  const { status, type } = err as { status?: unknown; type?: unknown };
  // The router could not percent-decode a path parameter: it names nothing, so it is answered like an unknown
  // id (api.md §6), not as a malformed request that would tell a bad id from a missing one.
  if (err instanceof URIError && status === 400) return new AppError('NOT_FOUND');
  if (type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE');
  if (type === 'entity.parse.failed')
    return new AppError('BAD_BODY', 'The body is not valid JSON', [
      { path: '', message: 'is not valid JSON' },
    ]);
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError('BAD_REQUEST');
  return null;
}

export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const requestId = requestIdOf(res);
    const known = err instanceof AppError ? err : fromFramework(err);
    if (known === null) {
      logger.error('request failed', { requestId, method: req.method, error: describeError(err) });
    }
    const answer = known ?? new AppError('INTERNAL');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(errorCatalogue[answer.code].status).json(errorBody(answer, requestId));
  };
}

/**
 * No route matched: the same answer as an unknown id (api.md §6), so `/v1/transfers//receipt` or an id with an
 * encoded slash in it cannot be told from a transfer that does not exist.
 */
export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new AppError('NOT_FOUND'));
