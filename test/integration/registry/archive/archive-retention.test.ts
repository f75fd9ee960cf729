// The archive's retention sweep on a real PostgreSQL and a real ledger: transfers whose last event is older than
// the retention (at least 3 years, PIPL art. 56) leave the archive, younger ones stay, and each deletion is a
// ledger event with ids and counts only. Dates are China calendar dates (test/support/china-time.ts).
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createArchiver } from '../../../../registry/archive/archiver.js';
import { openLedgerSource } from '../../../../registry/archive/ledger-source.js';
import { migrateArchive } from '../../../../registry/archive/migrate-archive.js';
import { startArchiver } from '../../../../cli/start-archiver.js';
import { sweepArchiveRetention } from '../../../../registry/archive/sweep-archive-retention.js';
import { openLedgerStore, type LedgerStore } from '../../../../ledger/index.js';
import { encodeLeaf, type LedgerEvent } from '../../../../ledger/leaf-encoding.js';
import { loadConfig } from '../../../../platform/config.js';
import { openDatabase, type Database } from '../../../../platform/database.js';
import { createLogger } from '../../../../platform/logger.js';
import type { EventLog } from '../../../../platform/event-log.js';
import { chinaDate } from '../../../support/china-time.js';
import { startPostgresServer, type TestPostgres } from '../../../support/postgres-server.js';

const exporter = '91450100MA5KXXXX0A';
const dayMs = 86_400_000;
// Noon today in China; the retention boundary three calendar years before, give or take two days (29 February).
const now = new Date(`${chinaDate()}T12:00:00+08:00`);
const threeYearsAgo = new Date(now);
threeYearsAgo.setUTCFullYear(now.getUTCFullYear() - 3);
const old = new Date(threeYearsAgo.getTime() - 2 * dayMs).toISOString();
const young = new Date(threeYearsAgo.getTime() + 2 * dayMs).toISOString();

const OLD_BLOCKED = '01JR0000000000000000000001';
const OLD_DELIVERED = '01JR0000000000000000000002';
const YOUNG = '01JR0000000000000000000003';

function transfer(id: string, at: string, delivered: boolean): LedgerEvent[] {
  const events: LedgerEvent[] = [
    {
      type: 'transfer.submitted',
      at,
      transferId: id,
      exporterId: exporter,
      businessType: 'hr',
      payloadSha256: 'ab'.repeat(32),
      bytes: 10,
      findings: {},
      partnerId: 'p1',
      endpointId: 'p1-ep',
      destinationCountry: 'SG',
      dataCategories: ['contact'],
      declaredIndividuals: 1,
      declaredSensitive: 0,
      filingId: null,
    },
    {
      type: 'transfer.classified',
      at,
      transferId: id,
      tier: 'standard_contract',
      grade: 'general',
      reasons: ['R-CLS-PI'],
      policyVersion: 'p1',
      individualsYtd: 0,
      sensitiveYtd: 0,
    },
  ];
  if (!delivered)
    return [...events, { type: 'transfer.blocked', at, transferId: id, reasons: ['R-BLK-CORE'] }];
  return [
    ...events,
    { type: 'transfer.receipt', at, transferId: id, payloadSha256: 'ab'.repeat(32), receivedAt: at },
    {
      type: 'volume.committed',
      at,
      transferId: id,
      exporterId: exporter,
      year: 2000,
      individualsYtd: 1,
      sensitiveYtd: 0,
    },
  ];
}

describe('archive retention sweep (real PostgreSQL, real ledger)', function () {
  this.timeout(180_000);
  let server: TestPostgres;
  let db: Database;
  let dir: string;
  let store: LedgerStore;
  let events: EventLog;
  let url: string;

  async function catchUp() {
    const source = await openLedgerSource(dir);
    await createArchiver({ db, source }).catchUp();
    await source.close();
  }
  const count = async (table: string, id: string) =>
    (
      await db.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${table} WHERE transfer_id = $1`, [id])
    )[0]?.n;

  before(async () => {
    server = await startPostgresServer();
    url = await server.createDatabase('retention');
    db = openDatabase({ url });
    await migrateArchive(db);
    dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-retention-'));
    store = await openLedgerStore(path.join(dir, 'ledger'));
    await store.append(
      [
        ...transfer(OLD_BLOCKED, old, false),
        ...transfer(OLD_DELIVERED, old, true),
        ...transfer(YOUNG, young, true),
      ].map((e) => encodeLeaf(e)),
    );
    events = {
      append: async (e) => ({ index: await store.append([encodeLeaf({ ...e, at: now.toISOString() })]) }),
    };
    await catchUp();
  });
  after(async () => {
    await store?.close();
    await db?.close();
    await server?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps everything under a longer retention', async () => {
    const sweep = await sweepArchiveRetention(db, events, { now, years: 4 });
    expect(sweep.transferIds).to.deep.equal([]);
    expect(sweep.ledgerIndex).to.equal(null);
    expect(await count('transfers', OLD_BLOCKED)).to.equal(1);
  });

  it('deletes the rows of transfers older than 3 years and records it in the ledger, ids and counts only', async () => {
    const before = store.size();
    const sweep = await sweepArchiveRetention(db, events, { now, years: 3 });
    expect(sweep.transferIds).to.deep.equal([OLD_BLOCKED, OLD_DELIVERED]);
    expect(sweep.rows).to.deep.equal({
      // R-CLS-PI twice and R-BLK-CORE; OLD_DELIVERED's receipt.
      transfer_reasons: 3,
      checks: 0,
      decisions: 0,
      deliveries: 1,
      volume_commits: 1,
      transfers: 2,
    });
    for (const table of ['transfers', 'transfer_reasons', 'deliveries', 'volume_commits']) {
      expect(await count(table, OLD_BLOCKED), table).to.equal(0);
      expect(await count(table, OLD_DELIVERED), table).to.equal(0);
    }
    expect(await count('transfers', YOUNG)).to.equal(1);
    expect(await count('volume_commits', YOUNG)).to.equal(1);
    expect(await count('transfer_reasons', YOUNG)).to.equal(1);

    expect(sweep.ledgerIndex).to.equal(before);
    const entry = JSON.parse(Buffer.from(store.getLeaf(before)).toString('utf8')) as Record<string, unknown>;
    expect(entry).to.deep.include({
      type: 'archive.retention',
      cutoff: sweep.cutoff,
      years: 3,
      transferIds: [OLD_BLOCKED, OLD_DELIVERED],
      rows: sweep.rows,
    });
    expect(Object.keys(entry).sort()).to.deep.equal(
      ['at', 'cutoff', 'eventId', 'rows', 'transferIds', 'type', 'years'].sort(),
    );
    // The archiver takes the event in like any other; a second sweep finds nothing more.
    await catchUp();
    const again = await sweepArchiveRetention(db, events, { now, years: 3 });
    expect(again.transferIds).to.deep.equal([]);
  });

  it('runs in the archiver process when given an event log', async () => {
    const OLD_LATE = '01JR0000000000000000000004';
    await store.append(transfer(OLD_LATE, old, false).map((e) => encodeLeaf(e)));
    const archiver = await startArchiver(
      loadConfig({ XBORDER_DATA_DIR: dir }),
      { logger: createLogger({ level: 'error', name: 'test', write: () => undefined }) },
      { databaseUrl: url, metricsPort: 0, retention: { events, clock: { now: () => now }, everyMs: 50 } },
    );
    try {
      const deadline = Date.now() + 60_000;
      let recorded: Record<string, unknown> | undefined;
      while (recorded === undefined && Date.now() < deadline) {
        const [row] = await db.query<{ leaf: Buffer }>(
          "SELECT leaf FROM ledger_entries WHERE type = 'archive.retention' ORDER BY ledger_index DESC LIMIT 1",
        );
        const entry =
          row === undefined ? undefined : (JSON.parse(row.leaf.toString('utf8')) as Record<string, unknown>);
        if (Array.isArray(entry?.['transferIds']) && entry['transferIds'].includes(OLD_LATE))
          recorded = entry;
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(recorded, 'archive.retention naming the late transfer').to.not.equal(undefined);
      expect(await count('transfers', OLD_LATE)).to.equal(0);
    } finally {
      await archiver.close();
    }
  });

  it('refuses a retention under 3 years, in the sweep and in the configuration', async () => {
    let refused: unknown;
    try {
      await sweepArchiveRetention(db, events, { now, years: 2 });
    } catch (err) {
      refused = err;
    }
    expect(refused).to.be.instanceOf(RangeError);
    expect(() => loadConfig({ XBORDER_ARCHIVE_RETENTION_YEARS: '2' })).to.throw(
      /XBORDER_ARCHIVE_RETENTION_YEARS/,
    );
    expect(loadConfig({ XBORDER_ARCHIVE_RETENTION_YEARS: '10' }).archiveRetentionYears).to.equal(10);
    expect(loadConfig({}).archiveRetentionYears).to.equal(3);
  });
});
