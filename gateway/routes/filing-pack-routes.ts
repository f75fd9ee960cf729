// gateway/routes/filing-pack-routes: GET /v1/exporters/:id/filing-pack (api.md §10) — the facts an SCC filing, a
// certification application or an assessment needs, from the archive; JSON, or a printable Chinese document for
// `Accept: text/html`. Reviewers see any exporter; an enterprise its own (another's is 404, as everywhere).
import { Type } from '@sinclair/typebox';
import { Router } from 'express';
import type { FilingPack } from '../../registry/archive/assemble-filing-pack.js';
import { renderFilingPackHtml } from '../../registry/archive/render-filing-pack-html.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { createParser } from '../../platform/schema.js';
import { filingKinds, type FilingKind } from '../../registry/records.js';
import { principalOf, requireRole } from '../auth.js';
import { assertOwnExporter } from '../scope.js';

export interface FilingPackRouteDeps {
  /** undefined when no archive is configured: 503 ARCHIVE_UNAVAILABLE. */
  readonly filingPack:
    ((exporterId: string, kind: FilingKind, year: number) => Promise<FilingPack>) | undefined;
  readonly clock: Clock;
  readonly onArchiveError?: (err: unknown) => void;
}

const parseQuery = createParser(
  Type.Object(
    {
      kind: Type.Union(filingKinds.map((k) => Type.Literal(k))),
      year: Type.Optional(Type.String({ pattern: '^(19|20|21)\\d{2}$' })),
    },
    { additionalProperties: false },
  ),
);

const usccPattern = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The calendar year in China (UTC+8, no daylight saving): the regulatory year (Provisions 2024 art. 7). */
const chinaYear = (now: Date) => new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();

export function createFilingPackRoutes(deps: FilingPackRouteDeps): Router {
  const router = Router();
  router.get('/v1/exporters/:id/filing-pack', requireRole('reviewer', 'enterprise'), async (req, res) => {
    const param = req.params['id'];
    const uscc = typeof param === 'string' ? param : '';
    const parsed = parseQuery(req.query);
    const issues = [
      ...(usccPattern.test(uscc)
        ? []
        : [{ path: '/params/id', message: 'is not a unified social credit code' }]),
      ...(parsed.ok ? [] : parsed.issues.map((i) => ({ ...i, path: `/query${i.path}` }))),
    ];
    if (!parsed.ok || issues.length > 0) throw new AppError('BAD_QUERY', undefined, issues);
    assertOwnExporter(principalOf(res), uscc);
    if (deps.filingPack === undefined) throw new AppError('ARCHIVE_UNAVAILABLE');
    const year = parsed.value.year === undefined ? chinaYear(deps.clock.now()) : Number(parsed.value.year);
    let pack: FilingPack;
    try {
      pack = await deps.filingPack(uscc, parsed.value.kind, year);
    } catch (err) {
      deps.onArchiveError?.(err);
      throw new AppError('ARCHIVE_UNAVAILABLE');
    }
    if (req.accepts(['application/json', 'text/html']) === 'text/html') {
      res.type('text/html; charset=utf-8').send(renderFilingPackHtml(pack));
      return;
    }
    res.json(pack);
  });
  return router;
}
