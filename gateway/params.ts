// gateway/params: parsing of path parameters and JSON bodies at the edge, turning their problems into 400s
// with JSON-Pointer paths (api.md §4) so route handlers only ever see typed values.
import type { Request } from 'express';
import { AppError, type ErrorCode } from '../platform/errors.js';
import { isId } from '../platform/ids.js';
import type { Parsed } from '../platform/schema.js';

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function paramId(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string' || !idPattern.test(value)) {
    throw new AppError('BAD_REQUEST', `The path parameter ${name} is not a valid id`, [
      {
        path: `/params/${name}`,
        message: 'must be 1-128 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit',
      },
    ]);
  }
  return value;
}

/**
 * The transfer id of a `/v1/transfers/:id…` route. api.md §6: transfer ids are ULIDs, and any other shape is
 * answered exactly like an unknown id (404 NOT_FOUND, the catalogue's message, no details), so a malformed id
 * says nothing a well-formed unknown one would not, and no other string ever reaches a Redis key.
 */
export function paramTransferId(req: Request, name = 'id'): string {
  const value = req.params[name];
  if (!isId(value)) throw new AppError('NOT_FOUND');
  return value;
}

export function parseBody<T>(
  req: Request,
  parse: (input: unknown) => Parsed<T>,
  code: ErrorCode = 'BAD_BODY',
): T {
  if (!req.is('application/json')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
  }
  const parsed = parse(req.body as unknown);
  if (!parsed.ok) throw new AppError(code, undefined, parsed.issues);
  return parsed.value;
}

/** A query string parsed by `parse`; its problems are a 400 BAD_QUERY, each path under `/query`. */
export function queryOf<T>(parse: (input: unknown) => Parsed<T>, query: unknown): T {
  const parsed = parse(query);
  if (!parsed.ok)
    throw new AppError(
      'BAD_QUERY',
      undefined,
      parsed.issues.map((i) => ({ ...i, path: `/query${i.path}` })),
    );
  return parsed.value;
}
