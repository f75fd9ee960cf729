// gateway/auth: bearer-token authentication and role rules (api.md §3). 401 for a missing or bad token,
// 403 for a role that may not do this. Tenant scoping (another exporter's record is 404) is in scope.ts.
import type { RequestHandler, Response } from 'express';
import { AppError } from '../platform/errors.js';
import type { Clock } from '../platform/clock.js';
import type { Principal, Role, TokenVerifier } from './principal.js';

export function createAuthenticate(verify: TokenVerifier, clock: Clock): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization');
    const match = header === undefined ? null : /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    if (match === null || match[1] === undefined) {
      next(new AppError('UNAUTHENTICATED'));
      return;
    }
    verify(match[1], clock.now()).then(
      (principal) => {
        if (principal === null) return next(new AppError('UNAUTHENTICATED', 'The bearer token is not valid'));
        res.locals['principal'] = principal;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

export function requireRole(...allowed: Role[]): RequestHandler {
  return (_req, res, next) => {
    next(allowed.includes(principalOf(res).role) ? undefined : new AppError('FORBIDDEN'));
  };
}

export function principalOf(res: Response): Principal {
  const principal = res.locals['principal'] as Principal | undefined;
  if (principal === undefined) throw new AppError('UNAUTHENTICATED');
  return principal;
}
