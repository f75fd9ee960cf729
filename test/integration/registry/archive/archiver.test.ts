// The archiver against a real PostgreSQL (started by the test) and a real ledger on disk: the read model it
// writes, restarts after kill -9, two archivers at once, and equality with a replay from scratch.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createArchiver } from '../../../../registry/archive/archiver.js';
import { openLedgerSource } from '../../../../registry/archive/ledger-source.js';
import { migrateArchive } from '../../../../registry/archive/migrate-archive.js';
import { openDatabase, type Database } from '../../../../platform/database.js';
import { dumpArchive, firstDifference } from '../../../support/archive-dump.js';
import { startPostgresServer, type TestPostgres } from '../../../support/postgres-server.js';
import {
  scriptedExporters,
  scriptedTransferId,
  writeScriptedLedger,
} from '../../../support/scripted-ledger.js';

async function archiveAll(db: Database, dataDir: string, batchSize = 500): Promise<void> {
  const source = await openLedgerSource(dataDir);
  try {
    await createArchiver({ db, source, batchSize }).catchUp();
  } finally {
    await source.close();
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('archive/archiver (real PostgreSQL, real ledger)', function () {
  this.timeout(300_000);
  let server: TestPostgres;
  let dataDir: string;
  let size: number;
  let replay: string;
  const start = new Date('2026-03-01T09:00:00+08:00');

  before(async () => {
    server = await startPostgresServer();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-archive-'));
    size = await writeScriptedLedger(path.join(dataDir, 'ledger'), 6000, start);
    // The reference: one archiver, from scratch, into its own database.
    const db = openDatabase({ url: await server.createDatabase('replay') });
    try {
      await migrateArchive(db);
      await archiveAll(db, dataDir);
      replay = await dumpArchive(db);
    } finally {
      await db.close();
    }
  });
  after(async () => {
    await server?.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes transfers with status, tier, reasons, checks, decisions, deliveries and yearly counts', async () => {
    const db = openDatabase({ url: server.url.replace(/\/postgres$/, '/replay') });
    try {
      const [position] = await db.query<{ next_index: number }>('SELECT next_index FROM archive_position');
      expect(position?.next_index).to.equal(size);
      // Transfer 3: held for a missing filing, approved by two reviewers, released and delivered.
      const [held] = await db.query('SELECT * FROM transfers WHERE transfer_id = $1', [
        scriptedTransferId(3),
      ]);
      expect(held).to.include({
        status: 'released',
        tier: 'standard_contract',
        released_by: 'review',
        partner_id: 'vn-payments',
      });
      expect(held?.['data_categories']).to.deep.equal(['location', 'contact']);
      const reasons = await db.query(
        'SELECT stage, code FROM transfer_reasons WHERE transfer_id = $1 ORDER BY ledger_index',
        [scriptedTransferId(3)],
      );
      expect(reasons).to.deep.equal([
        { stage: 'classified', code: 'R-SCC-PI100K' },
        { stage: 'held', code: 'R-EVID-FILING-MISSING' },
      ]);
      const decisions = await db.query(
        'SELECT decision, status FROM decisions WHERE transfer_id = $1 ORDER BY ledger_index',
        [scriptedTransferId(3)],
      );
      expect(decisions).to.deep.equal([
        { decision: 'approve', status: 'held' },
        { decision: 'approve', status: 'releasing' },
      ]);
      // Transfer 5 is blocked; 10 (held, even) rejected; 6 failed delivery.
      const statuses = await db.query<{ transfer_id: string; status: string }>(
        'SELECT transfer_id, status FROM transfers WHERE transfer_id = ANY($1) ORDER BY transfer_id',
        [[5, 10, 6].map(scriptedTransferId)],
      );
      expect(Object.fromEntries(statuses.map((r) => [r.transfer_id, r.status]))).to.deep.equal({
        [scriptedTransferId(5)]: 'blocked',
        [scriptedTransferId(10)]: 'rejected',
        [scriptedTransferId(6)]: 'delivery_failed',
      });
      // Yearly counts: delivered transfers and bytes agree with the transfers table; people with the last commit.
      const years = await db.query<{
        exporter_id: string;
        transfers: number;
        bytes: number;
        individuals: number;
      }>('SELECT exporter_id, transfers, bytes, individuals FROM exporter_years ORDER BY exporter_id');
      const delivered = await db.query<{ exporter_id: string; n: number; bytes: number }>(
        `SELECT exporter_id, count(*)::int AS n, sum(bytes)::bigint AS bytes FROM transfers
         WHERE status = 'released' GROUP BY 1 ORDER BY 1`,
      );
      expect(years.map((y) => [y.exporter_id, y.transfers, y.bytes])).to.deep.equal(
        delivered.map((d) => [d.exporter_id, d.n, d.bytes]),
      );
      expect(years.map((y) => y.exporter_id)).to.deep.equal([...scriptedExporters].sort());
      expect(years.every((y) => y.individuals > 0)).to.equal(true);
    } finally {
      await db.close();
    }
  });

  it('refuses nothing and changes nothing when the same entries are archived again', async () => {
    const db = openDatabase({ url: await server.createDatabase('again') });
    try {
      await migrateArchive(db);
      await archiveAll(db, dataDir);
      // Position back to 0: every entry is written a second time, in other batch boundaries.
      await db.query('UPDATE archive_position SET next_index = 0');
      await archiveAll(db, dataDir, 777);
      const again = await dumpArchive(db);
      expect(again, firstDifference(again, replay)).to.equal(replay);
    } finally {
      await db.close();
    }
  });

  it('two archivers at once take turns and write every entry once', async () => {
    const db1 = openDatabase({ url: await server.createDatabase('two') });
    const db2 = openDatabase({ url: server.url.replace(/\/postgres$/, '/two') });
    try {
      await Promise.all([migrateArchive(db1), migrateArchive(db2)]);
      const [s1, s2] = await Promise.all([openLedgerSource(dataDir), openLedgerSource(dataDir)]);
      const batches: number[][] = [[], []];
      await Promise.all([
        createArchiver({
          db: db1,
          source: s1,
          batchSize: 100,
          onBatch: (n) => batches[0]?.push(n),
        }).catchUp(),
        createArchiver({
          db: db2,
          source: s2,
          batchSize: 100,
          onBatch: (n) => batches[1]?.push(n),
        }).catchUp(),
      ]);
      await Promise.all([s1.close(), s2.close()]);
      const total = (batches[0] ?? []).concat(batches[1] ?? []).reduce((a, b) => a + b, 0);
      expect(total, 'entries written by both together').to.equal(size);
      expect(batches[0]?.length).to.be.greaterThan(0);
      expect(batches[1]?.length).to.be.greaterThan(0);
      const two = await dumpArchive(db1);
      expect(two, firstDifference(two, replay)).to.equal(replay);
    } finally {
      await db1.close();
      await db2.close();
    }
  });

  it('kill -9 mid-batch and restart: no gap, no duplicate, the same read model as a replay', async () => {
    const url = await server.createDatabase('killed');
    const db = openDatabase({ url });
    const env = {
      ...process.env,
      XBORDER_DATA_DIR: dataDir,
      XBORDER_DATABASE_URL: url,
      XBORDER_ARCHIVER_METRICS_PORT: '0',
      XBORDER_LOG_LEVEL: 'warn',
    };
    const launch = () =>
      spawn(process.execPath, ['--import', 'tsx', path.resolve('cli/main.ts'), 'archiver'], {
        env,
        stdio: 'ignore',
      });
    const position = async () => {
      const rows = await db
        .query<{ next_index: number }>(
          "SELECT next_index FROM archive_position WHERE to_regclass('archive_position') IS NOT NULL",
        )
        .catch(() => []);
      return rows[0]?.next_index ?? 0;
    };
    try {
      let kills = 0;
      for (let round = 0; round < 3; round += 1) {
        const child = launch();
        const exited = new Promise((resolve) => child.once('exit', resolve));
        const before = await position();
        await waitFor(async () => (await position()) > before, 60_000, 'the archiver to move');
        if ((await position()) < size) {
          child.kill('SIGKILL');
          kills += 1;
        } else child.kill('SIGTERM');
        await exited;
      }
      const child = launch();
      await waitFor(async () => (await position()) === size, 120_000, 'the archiver to catch up');
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      expect(kills, 'archivers killed before catching up').to.be.greaterThan(0);
      const killed = await dumpArchive(db);
      expect(killed, firstDifference(killed, replay)).to.equal(replay);
      const [counts] = await db.query<{ n: number; distinct_n: number; max: number }>(
        'SELECT count(*)::int AS n, count(DISTINCT ledger_index)::int AS distinct_n, max(ledger_index) AS max FROM ledger_entries',
      );
      expect(counts).to.deep.equal({ n: size, distinct_n: size, max: size - 1 });
    } finally {
      await db.close();
    }
  });
});
