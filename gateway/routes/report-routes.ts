// gateway/routes/report-routes: GET /v1/reports/exports (api.md §10) — what was exported in a regulatory year, per
// exporter, partner, country, tier, category or month, from the archive; JSON, or CSV for `Accept: text/csv`.
// Reviewers, ops and admins see all exporters; an enterprise its own only (another's is 404, as everywhere).
import { Type } from '@sinclair/typebox';
import { Router } from 'express';
import {
  formatReportCsv,
  reportGroupings,
  type ExportReport,
  type ReportGrouping,
} from '../../registry/archive/export-report.js';
import { AppError } from '../../platform/errors.js';
import { createParser } from '../../platform/schema.js';
import { principalOf, requireRole } from '../auth.js';
import { assertOwnExporter } from '../scope.js';
import { queryOf } from '../params.js';

export interface ReportRouteDeps {
  /** undefined when no archive is configured: reports answer 503 ARCHIVE_UNAVAILABLE. */
  readonly exports:
    | ((year: number, groupBy: ReportGrouping, exporterId: string | undefined) => Promise<ExportReport>)
    | undefined;
  readonly onArchiveError?: (err: unknown) => void;
}

const parseReportQuery = createParser(
  Type.Object(
    {
      year: Type.String({ pattern: '^(19|20|21)\\d{2}$' }),
      groupBy: Type.Union(reportGroupings.map((g) => Type.Literal(g))),
      exporterId: Type.Optional(
        Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$' }),
      ),
    },
    { additionalProperties: false },
  ),
);

export function createReportRoutes(deps: ReportRouteDeps): Router {
  const router = Router();
  router.get(
    '/v1/reports/exports',
    requireRole('reviewer', 'ops', 'admin', 'enterprise'),
    async (req, res) => {
      const query = queryOf(parseReportQuery, req.query);
      const principal = principalOf(res);
      if (query.exporterId !== undefined) assertOwnExporter(principal, query.exporterId);
      const exporterId = principal.role === 'enterprise' ? principal.exporter : query.exporterId;
      if (principal.role === 'enterprise' && exporterId === undefined) throw new AppError('NOT_FOUND');
      if (deps.exports === undefined) throw new AppError('ARCHIVE_UNAVAILABLE');
      let report: ExportReport;
      try {
        report = await deps.exports(Number(query.year), query.groupBy, exporterId);
      } catch (err) {
        deps.onArchiveError?.(err);
        throw new AppError('ARCHIVE_UNAVAILABLE');
      }
      if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
        res.type('text/csv; charset=utf-8').send(formatReportCsv(report));
        return;
      }
      res.json(report);
    },
  );
  return router;
}
