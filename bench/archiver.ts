// bench/archiver: archiver throughput (ledger entries/s into the PostgreSQL read model, one transaction per batch
// with the position) against a raw COPY of the same entries into ledger_entries alone, same server, same run —
// the ratio says what projecting and indexing the read model costs over just storing the bytes — and the export
// report's query time for one exporter-year. Starts its own PostgreSQL (fsync off, as in tests: the ratio is
// what matters, not the disk).
//   npx tsx bench/archiver.ts [--n 20000] [--batch 1000]      Prints; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createArchiver } from '../registry/archive/archiver.js';
import { queryExportReport } from '../registry/archive/export-report.js';
import { openLedgerSource } from '../registry/archive/ledger-source.js';
import { migrateArchive } from '../registry/archive/migrate-archive.js';
import { projectEvents } from '../registry/archive/project-events.js';
import { openDatabase } from '../platform/database.js';
import { startPostgresServer } from '../test/support/postgres-server.js';
import { scriptedExporters, writeScriptedLedger } from '../test/support/scripted-ledger.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('n', 20_000);
const BATCH = arg('batch', 1000);

const server = await startPostgresServer();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-bench-archive-'));
try {
  const size = await writeScriptedLedger(path.join(dataDir, 'ledger'), N, new Date('2026-01-02T00:00:00Z'));
  const source = await openLedgerSource(dataDir);

  const rawDb = openDatabase({ url: await server.createDatabase('raw') });
  await migrateArchive(rawDb);
  const leaves = await source.read(0, size);
  const rows = projectEvents(0, leaves).entries;
  const escape = (v: string | null) => (v === null ? '\\N' : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t'));
  const rawStart = process.hrtime.bigint();
  await rawDb.copyFrom(
    'COPY ledger_entries (ledger_index, type, at, transfer_id, leaf) FROM STDIN',
    rows.map(
      (r) =>
        `${r.index}\t${escape(r.type)}\t${r.at}\t${escape(r.transferId)}\t\\\\x${r.leaf.toString('hex')}\n`,
    ),
  );
  const rawSeconds = Number(process.hrtime.bigint() - rawStart) / 1e9;
  await rawDb.close();

  const db = openDatabase({ url: await server.createDatabase('archived') });
  await migrateArchive(db);
  const started = process.hrtime.bigint();
  await createArchiver({ db, source, batchSize: BATCH }).catchUp();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await source.close();

  const exporter = scriptedExporters[0];
  const reportStart = process.hrtime.bigint();
  const report = await queryExportReport(db, 2026, 'partner', exporter);
  const reportMs = Number(process.hrtime.bigint() - reportStart) / 1e6;
  await db.close();

  const archiverRate = size / seconds;
  const rawRate = size / rawSeconds;
  console.log(`archiver bench: ${size} events, batch ${BATCH}`);
  console.log(`  raw COPY into ledger_entries  ${Math.round(rawRate)} events/s (${rawSeconds.toFixed(2)} s)`);
  console.log(
    `  archiver (full read model)    ${Math.round(archiverRate)} events/s (${seconds.toFixed(2)} s)`,
  );
  console.log(`  ratio archiver / raw COPY     ${(archiverRate / rawRate).toFixed(3)}`);
  console.log(
    `  export report, one exporter-year by partner: ${reportMs.toFixed(1)} ms (${report.totals.transfers} transfers, ${report.totals.individuals} people)`,
  );
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
