// bench/report-query: the export report's query time (registry/archive/export-report.ts, GET /v1/reports/exports)
// for ONE exporter-year of 1,000,000 distinct people, on a real PostgreSQL this bench starts (fsync off, as in
// tests), filled directly with COPY (bench/support/exporter-year; the archiver's own speed is bench/archiver.ts).
// Each grouping is timed cold (first query after a PostgreSQL restart: empty shared buffers; the OS page cache is
// not dropped) and warm (median of `--runs`), against the baseline in the same run: a plain count and sum of the
// same exporter-year's delivered rows, cold and warm alike.
//
//   npx tsx bench/report-query.ts [--rows 1500000] [--share 24] [--people 1000000] [--runs 5]
//
// Prints a table (report queries/s against baseline queries/s, the milliseconds in the note); asserts nothing,
// except that the report counts exactly `--people` people for the year, without which its timing means nothing.
import { queryExportReport, type ReportGrouping } from '../registry/archive/export-report.js';
import { migrateArchive } from '../registry/archive/migrate-archive.js';
import { openDatabase, type Database } from '../platform/database.js';
import { startPostgresServer } from '../test/support/postgres-server.js';
import { parseBenchArgs } from './support/args.js';
import { rateRow, report, type BenchRow } from './support/bench-result.js';
import { fillExporterYear } from './support/exporter-year.js';

const args = parseBenchArgs();
const ROWS = args.number('rows', 1_500_000);
const SHARE = args.number('share', 24);
const PEOPLE = args.number('people', 1_000_000);
const RUNS = args.number('runs', 5);
const bench = 'report-query';
/** Every grouping but `exporter`, which for one exporter is a single row. */
const groupings: readonly ReportGrouping[] = ['month', 'partner', 'country', 'tier', 'category'];

const elapsedMs = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return elapsedMs(started);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** The least any report over these rows does: find the exporter-year's delivered rows and add them up. */
const baselineSql = `SELECT count(*)::bigint AS transfers, sum(bytes)::bigint AS bytes FROM transfers
  WHERE exporter_id = $1 AND delivered_at IS NOT NULL
    AND delivered_at >= make_timestamptz($2::int, 1, 1, 0, 0, 0, 'Asia/Shanghai')
    AND delivered_at < make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai')`;

const server = await startPostgresServer();
try {
  const url = await server.createDatabase('report');
  const open = async (): Promise<Database> => {
    const db = openDatabase({ url, maxConnections: 1 });
    await db.query('SELECT 1');
    return db;
  };
  let db = await open();
  await migrateArchive(db);
  const filled = await fillExporterYear(db, { rows: ROWS, share: SHARE, people: PEOPLE });
  const { exporter, year } = filled;
  const [schema] = await db.query<{ version: number }>(
    'SELECT max(version)::int AS version FROM schema_migrations',
  );

  /** Cold: a restarted server and a new connection; then warm: the median of RUNS more. */
  const coldAndWarm = async (work: (db: Database) => Promise<unknown>) => {
    await db.close();
    await server.restart();
    db = await open();
    const cold = await timed(() => work(db));
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i += 1) warm.push(await timed(() => work(db)));
    return { cold, warm: median(warm) };
  };

  const baseline = await coldAndWarm((d) => d.query(baselineSql, [exporter, year]));
  const [base] = await db.query<{ transfers: number }>(baselineSql, [exporter, year]);
  const rows: BenchRow[] = [];
  for (const groupBy of groupings) {
    let people = 0;
    let transfersInYear = 0;
    const t = await coldAndWarm(async (d) => {
      const r = await queryExportReport(d, year, groupBy, exporter);
      people = r.totals.individuals;
      transfersInYear = r.totals.transfers;
    });
    if (people !== PEOPLE || transfersInYear !== base?.transfers)
      throw new Error(`report by ${groupBy} counted ${people} people in ${transfersInYear} transfers`);
    for (const phase of ['cold', 'warm'] as const)
      rows.push(
        rateRow(
          bench,
          `queries/s, by ${groupBy}, ${phase}`,
          1000 / t[phase],
          1000 / baseline[phase],
          null,
          `${t[phase].toFixed(0)} ms vs ${baseline[phase].toFixed(0)} ms`,
        ),
      );
  }
  await db.close();
  console.log(
    `report-query bench: ${filled.transfers.toLocaleString('en-US')} transfers and ${filled.commits.toLocaleString('en-US')} volume commits loaded by COPY in ${filled.seconds.toFixed(1)} s (schema version ${schema?.version ?? '?'}, ${(filled.allVisible * 100).toFixed(0)}% of pages all-visible); exporter ${exporter}, ${year}: ${base?.transfers ?? '?'} delivered transfers, ${PEOPLE.toLocaleString('en-US')} people; warm = median of ${RUNS}`,
  );
  report(rows);
} finally {
  await server.stop();
}
