// registry/archive/export-report: GET /v1/reports/exports (api.md §10) — transfers, bytes, distinct individuals and
// sensitive individuals released per group in one regulatory year (from 1 January, Asia/Shanghai; Provisions 2024
// art. 7). People are counted per exporter, as the law counts them: each delivered transfer carries the people it
// added to its exporter's year (the rise of the exporter's exact distinct count, volume.committed), so a group's
// count is the sum over its exporters of the distinct people first exported in that group, and the groups of a
// grouping add up to the exporters' distinct counts. Read-only.
import type { Database } from '../../platform/database.js';

export const reportGroupings = ['exporter', 'partner', 'country', 'tier', 'category', 'month'] as const;
export type ReportGrouping = (typeof reportGroupings)[number];

export interface ReportRow {
  readonly group: string;
  readonly transfers: number;
  readonly bytes: number;
  readonly individuals: number;
  readonly sensitiveIndividuals: number;
}

export interface ExportReport {
  readonly year: number;
  readonly groupBy: ReportGrouping;
  readonly exporterId: string | null;
  readonly rows: readonly ReportRow[];
  readonly totals: Omit<ReportRow, 'group'>;
}

const groupExpr: Record<ReportGrouping, string> = {
  exporter: 't.exporter_id',
  partner: "coalesce(t.partner_id, '(unknown)')",
  country: "coalesce(t.destination_country, '(unknown)')",
  tier: "coalesce(t.tier, '(unknown)')",
  // A transfer with several categories counts in each: category rows may add up to more than the totals.
  category: "coalesce(c.category, '(none)')",
  month: "to_char(t.delivered_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')",
};

export async function queryExportReport(
  db: Database,
  year: number,
  groupBy: ReportGrouping,
  exporterId: string | undefined,
): Promise<ExportReport> {
  const params: (string | number)[] = [year];
  if (exporterId !== undefined) params.push(exporterId);
  const byExporter = exporterId === undefined ? '' : 'AND t.exporter_id = $2';
  // The year as a range of delivered_at, from local midnight on 1 January to the next in Asia/Shanghai (the same
  // transfers as extract(year …) = $1), which an index can search instead of reading every delivered transfer of
  // the exporter. `released` keeps only the columns a grouping reads: the covering index (schema migration 3)
  // holds them all.
  const base = `
    WITH added AS (
      SELECT transfer_id,
        greatest(0, individuals_ytd - coalesce(max(individuals_ytd) OVER prior, 0)) AS individuals,
        greatest(0, sensitive_ytd - coalesce(max(sensitive_ytd) OVER prior, 0)) AS sensitive
      FROM volume_commits WHERE year = $1::int ${exporterId === undefined ? '' : 'AND exporter_id = $2'}
      WINDOW prior AS (PARTITION BY exporter_id, year ORDER BY ledger_index
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ), released AS (
      SELECT t.exporter_id, t.partner_id, t.destination_country, t.tier, t.data_categories, t.delivered_at, t.bytes,
        coalesce(a.individuals, 0) AS people, coalesce(a.sensitive, 0) AS sensitive_people
      FROM transfers t LEFT JOIN (SELECT transfer_id, sum(individuals) AS individuals, sum(sensitive) AS sensitive
                                  FROM added GROUP BY transfer_id) a USING (transfer_id)
      WHERE t.delivered_at IS NOT NULL
        AND t.delivered_at >= make_timestamptz($1::int, 1, 1, 0, 0, 0, 'Asia/Shanghai')
        AND t.delivered_at < make_timestamptz($1::int + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai') ${byExporter}
    )`;
  // One statement for the groups and the totals, so the year is read once (`released`, referenced twice, is
  // computed once); the totals row comes last. Totals are counted per transfer, not summed from the groups: a
  // transfer with several categories is in several category groups.
  const result = await db.query<{
    total: boolean;
    group: string;
    transfers: number;
    bytes: number | null;
    individuals: number | null;
    sensitive: number | null;
  }>(
    `${base}
     SELECT false AS total, ${groupExpr[groupBy]} AS "group", count(*)::bigint AS transfers,
       sum(t.bytes)::bigint AS bytes, sum(t.people)::bigint AS individuals,
       sum(t.sensitive_people)::bigint AS sensitive
     FROM released t ${groupBy === 'category' ? 'LEFT JOIN LATERAL unnest(t.data_categories) AS c(category) ON true' : ''}
     GROUP BY 2
     UNION ALL
     SELECT true, '', count(*)::bigint, sum(bytes)::bigint, sum(people)::bigint, sum(sensitive_people)::bigint
     FROM released
     ORDER BY 1, 2`,
    params,
  );
  const rows = result.filter((r) => !r.total);
  const total = result.find((r) => r.total);
  return {
    year,
    groupBy,
    exporterId: exporterId ?? null,
    rows: rows.map((r) => ({
      group: r.group,
      transfers: r.transfers,
      bytes: r.bytes ?? 0,
      individuals: r.individuals ?? 0,
      sensitiveIndividuals: r.sensitive ?? 0,
    })),
    totals: {
      transfers: total?.transfers ?? 0,
      bytes: total?.bytes ?? 0,
      individuals: total?.individuals ?? 0,
      sensitiveIndividuals: total?.sensitive ?? 0,
    },
  };
}

/** RFC 4180 CSV: header line, CRLF line ends; group values are ids and codes, quoted when they need it. */
export function formatReportCsv(report: ExportReport): string {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [
    `${report.groupBy},transfers,bytes,individuals,sensitive_individuals`,
    ...report.rows.map((r) =>
      [quote(r.group), r.transfers, r.bytes, r.individuals, r.sensitiveIndividuals].join(','),
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
