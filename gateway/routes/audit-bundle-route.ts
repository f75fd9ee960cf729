// gateway/routes/audit-bundle-route: GET /v1/audit-bundles (api.md §10) — one JSON file of a range's archived
// transfer records, their ledger entries with inclusion proofs, a signed checkpoint, a consistency proof to the
// latest and a seal, for `xborder audit verify`. Reviewers only (CAC liaison). Knows HTTP, not how bundles are made.
import { Type } from '@sinclair/typebox';
import { Router } from 'express';
import type { AuditBundleQuery, AuditBundleResult } from '../../registry/archive/build-audit-bundle.js';
import { serializeAuditBundle } from '../../ledger/audit-bundle.js';
import { AppError } from '../../platform/errors.js';
import { createParser } from '../../platform/schema.js';
import { parseInstant } from '../../registry/records.js';
import { requireRole } from '../auth.js';
import { queryOf } from '../params.js';

export interface AuditBundleRouteDeps {
  /** undefined when no archive is configured: 503 ARCHIVE_UNAVAILABLE. */
  readonly build: ((query: AuditBundleQuery) => Promise<AuditBundleResult>) | undefined;
  readonly onArchiveError?: (err: unknown) => void;
}

const dateOrInstant = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$';
const dayMs = 24 * 60 * 60 * 1000;

const parseBundleQuery = createParser(
  Type.Object(
    {
      exporterId: Type.Optional(
        Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$' }),
      ),
      /** Dates (YYYY-MM-DD, China time; `to` includes its whole day) or RFC 3339 instants, on submission time. */
      from: Type.Optional(Type.String({ pattern: dateOrInstant })),
      to: Type.Optional(Type.String({ pattern: dateOrInstant })),
    },
    { additionalProperties: false },
  ),
);

function badQuery(path: string, message: string): AppError {
  return new AppError('BAD_QUERY', undefined, [{ path, message }]);
}

function instant(text: string | undefined, path: string, wholeDay: boolean): Date | undefined {
  if (text === undefined) return undefined;
  const at = parseInstant(text);
  if (at === null) throw badQuery(path, 'not a real date or instant');
  return wholeDay && text.length === 10 ? new Date(at.getTime() + dayMs) : at;
}

export function createAuditBundleRoute(deps: AuditBundleRouteDeps): Router {
  const router = Router();
  router.get('/v1/audit-bundles', requireRole('reviewer'), async (req, res) => {
    const asked = queryOf(parseBundleQuery, req.query);
    const from = instant(asked.from, '/query/from', false);
    const to = instant(asked.to, '/query/to', true);
    if (from !== undefined && to !== undefined && from >= to)
      throw badQuery('/query/to', 'to must be after from');
    if (deps.build === undefined) throw new AppError('ARCHIVE_UNAVAILABLE');
    const query: AuditBundleQuery = {
      ...(asked.exporterId === undefined ? {} : { exporterId: asked.exporterId }),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    };
    let result: AuditBundleResult;
    try {
      result = await deps.build(query);
    } catch (err) {
      deps.onArchiveError?.(err);
      throw new AppError('ARCHIVE_UNAVAILABLE');
    }
    if (!result.ok)
      throw badQuery('/query/to', `the range holds more than ${result.limit} transfers: narrow it`);
    res
      .type('application/json')
      .attachment(`audit-bundle-${result.bundle.generatedAt.replace(/[:.]/g, '')}.json`)
      .send(serializeAuditBundle(result.bundle));
  });
  return router;
}
