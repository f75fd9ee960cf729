// gateway/request-id: gives every request an id, echoed in `X-Request-Id` and in error bodies, so a client's
// report can be matched to log lines. A client-supplied id is kept only if it is a short safe token.
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

const safeId = /^[A-Za-z0-9._-]{1,64}$/;

export const assignRequestId: RequestHandler = (req, res, next) => {
  const offered = req.get('x-request-id');
  const id = offered !== undefined && safeId.test(offered) ? offered : randomUUID();
  res.locals['requestId'] = id;
  res.setHeader('X-Request-Id', id);
  next();
};

export function requestIdOf(res: Response): string {
  const id: unknown = res.locals['requestId'];
  return typeof id === 'string' ? id : 'unknown';
}
