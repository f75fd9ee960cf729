// A ledger of 100,000 events caught up by the archiver (real PostgreSQL, real ledger on disk); the time is
// printed for docs/benchmarks.md. Generous timeout: the suite runs on a loaded 2-core machine.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createArchiver } from '../../../../registry/archive/archiver.js';
import { openLedgerSource } from '../../../../registry/archive/ledger-source.js';
import { migrateArchive } from '../../../../registry/archive/migrate-archive.js';
import { openDatabase } from '../../../../platform/database.js';
import { startPostgresServer, type TestPostgres } from '../../../support/postgres-server.js';
import { writeScriptedLedger } from '../../../support/scripted-ledger.js';

describe('archive/archiver at 100,000 events', function () {
  this.timeout(900_000);
  let server: TestPostgres;
  let dataDir: string;

  before(async () => {
    server = await startPostgresServer();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-archive-100k-'));
  });
  after(async () => {
    await server?.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it('catches up a ledger of 100,000 events, every entry once', async () => {
    const size = await writeScriptedLedger(
      path.join(dataDir, 'ledger'),
      100_000,
      new Date('2026-02-01T00:00:00Z'),
    );
    const db = openDatabase({ url: await server.createDatabase('big') });
    const source = await openLedgerSource(dataDir);
    try {
      await migrateArchive(db);
      const started = process.hrtime.bigint();
      const progress = await createArchiver({ db, source, batchSize: 2000 }).catchUp();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(
        `      archived ${size} entries in ${seconds.toFixed(1)} s (${Math.round(size / seconds)} entries/s)`,
      );
      expect(progress.position).to.equal(size);
      const [row] = await db.query<{ n: number; transfers: number }>(
        'SELECT (SELECT count(*) FROM ledger_entries)::int AS n, (SELECT count(*) FROM transfers)::int AS transfers',
      );
      expect(row?.n).to.equal(size);
      expect(row?.transfers).to.be.greaterThan(10_000);
    } finally {
      await source.close();
      await db.close();
    }
  });
});
