// The archive's retention on a real PostgreSQL, a real Redis and the real ledger (Redis-sequenced, as the processes
// run it), on a fixed clock: transfers whose last event is older than the retention (at least 3 years, PIPL
// art. 56) are decided by the sweep and recorded as `archive.retention` (ids and counts only); the archiver deletes
// their rows when it reaches that event, so a replay from scratch equals the live read model. A crash between the
// decision and the event loses nothing, two sweeps at once decide each transfer once, and the workers process runs it.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDevPki } from '../../../../certs/dev-pki.js';
import { loadSigner } from '../../../../certs/load-signer.js';
import { openEventLog } from '../../../../ledger/open-event-log.js';
import type { Ledger } from '../../../../ledger/ledger.js';
import type { LedgerEvent } from '../../../../ledger/leaf-encoding.js';
import { createArchiver } from '../../../../registry/archive/archiver.js';
import { openLedgerSource } from '../../../../registry/archive/ledger-source.js';
import { migrateArchive } from '../../../../registry/archive/migrate-archive.js';
import { sweepArchiveRetention } from '../../../../registry/archive/sweep-archive-retention.js';
import { createFixedClock } from '../../../../platform/clock.js';
import { loadConfig, type Config } from '../../../../platform/config.js';
import { openDatabase, type Database } from '../../../../platform/database.js';
import type { EventLog } from '../../../../platform/event-log.js';
import { createLogger } from '../../../../platform/logger.js';
import { createRedis, type Redis } from '../../../../platform/redis.js';
import { startWorkers } from '../../../../workers/start-workers.js';
import { dumpArchive, firstDifference } from '../../../support/archive-dump.js';
import { startPostgresServer, type TestPostgres } from '../../../support/postgres-server.js';
import { startRedisServer, type TestRedis } from '../../../support/redis-server.js';

const exporter = '91450100MA5KXXXX0A';
// Noon in China on a fixed day; the retention boundary is 2023-06-15T04:00Z (three years before).
const now = new Date('2026-06-15T04:00:00Z');
const clock = createFixedClock(now);
const old = '2023-06-10T02:00:00.000Z';
const young = '2023-06-20T02:00:00.000Z';
const quiet = createLogger({ level: 'error', name: 'test', write: () => undefined });

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
      year: 2023,
      individualsYtd: 1,
      sensitiveYtd: 0,
    },
  ];
}

describe('archive retention (real PostgreSQL, Redis and ledger, fixed clock)', function () {
  this.timeout(180_000);
  let pg: TestPostgres;
  let redisServer: TestRedis;
  let redis: Redis;
  let db: Database;
  let url: string;
  let dir: string;
  let config: Config;
  let ledger: Ledger;
  let events: EventLog;

  async function catchUp(into: Database = db) {
    const source = await openLedgerSource(dir);
    try {
      await createArchiver({ db: into, source }).catchUp();
    } finally {
      await source.close();
    }
  }
  const count = async (table: string, id: string) =>
    (
      await db.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${table} WHERE transfer_id = $1`, [id])
    )[0]?.n;
  const retentionEvents = async (eventId: string) => {
    let n = 0;
    const size = ledger.size();
    for (let i = 0; i < size; i += 1) {
      const entry = JSON.parse(Buffer.from(await ledger.entry(i)).toString('utf8')) as Record<
        string,
        unknown
      >;
      if (entry['eventId'] === eventId) n += 1;
    }
    return n;
  };

  before(async () => {
    pg = await startPostgresServer();
    url = await pg.createDatabase('retention');
    db = openDatabase({ url });
    await migrateArchive(db);
    redisServer = await startRedisServer();
    redis = createRedis(redisServer.url);
    dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-retention-'));
    await createDevPki(path.join(dir, 'pki'));
    config = loadConfig({
      XBORDER_REDIS_URL: redisServer.url,
      XBORDER_DATA_DIR: dir,
      XBORDER_POLICY_DIR: path.resolve('policies'),
      XBORDER_DATABASE_URL: url,
    });
    const signer = await loadSigner(config.signing.key, config.signing.cert);
    ({ ledger, events } = await openEventLog({ config, redis, signer, clock, logger: quiet }));
    await ledger.appendMany([
      ...transfer(OLD_BLOCKED, old, false),
      ...transfer(OLD_DELIVERED, old, true),
      ...transfer(YOUNG, young, true),
    ]);
    await catchUp();
  });
  after(async () => {
    await ledger?.close();
    redis?.disconnect();
    await db?.close();
    await redisServer?.stop();
    await pg?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps everything under a longer retention', async () => {
    const sweep = await sweepArchiveRetention(db, events, { now, years: 4 });
    expect(sweep?.transferIds).to.deep.equal([]);
    expect(sweep?.ledgerIndex).to.equal(null);
    expect(await count('transfers', OLD_BLOCKED)).to.equal(1);
  });

  it('records the decision in the ledger, ids and counts only; the archiver deletes the rows when it reaches it', async () => {
    const before = ledger.size();
    const sweep = await sweepArchiveRetention(db, events, { now, years: 3 });
    expect(sweep?.cutoff).to.equal('2023-06-15T04:00:00.000Z');
    expect(sweep?.transferIds).to.deep.equal([OLD_BLOCKED, OLD_DELIVERED]);
    expect(sweep?.rows).to.deep.equal({
      // R-CLS-PI twice and R-BLK-CORE; OLD_DELIVERED's receipt.
      transfer_reasons: 3,
      checks: 0,
      decisions: 0,
      deliveries: 1,
      volume_commits: 1,
      transfers: 2,
    });
    expect(sweep?.ledgerIndex).to.equal(before);
    const entry = JSON.parse(Buffer.from(await ledger.entry(before)).toString('utf8')) as Record<
      string,
      unknown
    >;
    expect(entry).to.deep.include({
      type: 'archive.retention',
      cutoff: sweep?.cutoff,
      years: 3,
      transferIds: [OLD_BLOCKED, OLD_DELIVERED],
      rows: sweep?.rows,
    });
    expect(Object.keys(entry).sort()).to.deep.equal(
      ['at', 'cutoff', 'eventId', 'rows', 'transferIds', 'type', 'years'].sort(),
    );
    // Decided, not yet deleted: the rows go when the archiver reads the event; nothing is decided twice.
    expect(await count('transfers', OLD_BLOCKED)).to.equal(1);
    expect((await sweepArchiveRetention(db, events, { now, years: 3 }))?.transferIds).to.deep.equal([]);
    await catchUp();
    for (const table of ['transfers', 'transfer_reasons', 'deliveries', 'volume_commits']) {
      expect(await count(table, OLD_BLOCKED), table).to.equal(0);
      expect(await count(table, OLD_DELIVERED), table).to.equal(0);
    }
    expect(await count('transfers', YOUNG)).to.equal(1);
    expect(await count('volume_commits', YOUNG)).to.equal(1);
    expect(await count('transfer_reasons', YOUNG)).to.equal(1);
    const [decision] = await db.query<{ ledger_index: number }>(
      'SELECT ledger_index FROM archive_retentions WHERE event_id = $1',
      [entry['eventId'] as string],
    );
    expect(decision?.ledger_index).to.equal(before);
  });

  it('loses nothing when the process dies between the decision and the event, or after the event', async () => {
    const A = '01JR0000000000000000000004';
    const B = '01JR0000000000000000000005';
    await ledger.appendMany(transfer(A, old, false));
    await catchUp();
    const dies: EventLog = {
      append: () => Promise.reject(new Error('killed before the append')),
    };
    let failure: unknown;
    await sweepArchiveRetention(db, dies, { now, years: 3 }).catch((err: unknown) => (failure = err));
    expect(String(failure)).to.include('killed before the append');
    expect(await count('transfers', A)).to.equal(1);
    const again = await sweepArchiveRetention(db, events, { now, years: 3 });
    expect(again?.resumed).to.equal(1);
    expect(again?.transferIds).to.deep.equal([]);
    const [pendingA] = await db.query<{ event_id: string }>(
      'SELECT event_id FROM archive_retentions WHERE $1 = ANY(transfer_ids)',
      [A],
    );
    expect(await retentionEvents(pendingA?.event_id ?? '')).to.equal(1);

    // Appended, then killed before the decision was marked recorded: the next sweep appends the same id again,
    // which the ledger integrates once.
    await ledger.appendMany(transfer(B, old, false));
    await catchUp();
    const diesAfter: EventLog = {
      append: async (event) => {
        await events.append(event);
        throw new Error('killed after the append');
      },
    };
    await sweepArchiveRetention(db, diesAfter, { now, years: 3 }).catch(() => undefined);
    expect((await sweepArchiveRetention(db, events, { now, years: 3 }))?.resumed).to.equal(1);
    const [pendingB] = await db.query<{ event_id: string }>(
      'SELECT event_id FROM archive_retentions WHERE $1 = ANY(transfer_ids)',
      [B],
    );
    expect(await retentionEvents(pendingB?.event_id ?? '')).to.equal(1);
    await catchUp();
    expect(await count('transfers', A)).to.equal(0);
    expect(await count('transfers', B)).to.equal(0);
  });

  it('decides each transfer once when two sweeps run at once', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `01JR00000000000000000001${String(i).padStart(2, '0')}`);
    await ledger.appendMany(ids.flatMap((id) => transfer(id, old, false)));
    await catchUp();
    const sweeps = await Promise.all(
      [0, 1, 2].map(() => sweepArchiveRetention(db, events, { now, years: 3, limit: 7 })),
    );
    // Whichever ran, then the rest in turn: each id in exactly one decision.
    while ((await sweepArchiveRetention(db, events, { now, years: 3, limit: 7 }))?.transferIds.length)
      continue;
    const decided = await db.query<{ id: string }>(
      'SELECT unnest(transfer_ids) AS id FROM archive_retentions ORDER BY 1',
    );
    const named = decided.map((r) => r.id).filter((id) => ids.includes(id));
    expect(named).to.deep.equal(ids);
    expect(sweeps.some((s) => s === null || s.transferIds.length > 0)).to.equal(true);
  });

  it('runs in the workers process when XBORDER_DATABASE_URL is set', async () => {
    const LATE = '01JR0000000000000000000006';
    await ledger.appendMany(transfer(LATE, old, false));
    await catchUp();
    const workers = await startWorkers(config, { clock, logger: quiet, metricsPort: 0 });
    try {
      const deadline = Date.now() + 60_000;
      let decided = false;
      while (!decided && Date.now() < deadline) {
        const rows = await db.query<{ ledger_index: number | null }>(
          'SELECT ledger_index FROM archive_retentions WHERE $1 = ANY(transfer_ids)',
          [LATE],
        );
        decided = rows[0]?.ledger_index !== null && rows[0] !== undefined;
        if (!decided) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(decided, 'the workers recorded a decision naming the late transfer').to.equal(true);
    } finally {
      await workers.close();
    }
    await catchUp();
    expect(await count('transfers', LATE)).to.equal(0);
    expect(await count('transfers', YOUNG)).to.equal(1);
  });

  it('a replay of the ledger from scratch equals the live read model', async () => {
    const live = await dumpArchive(db);
    const fresh = openDatabase({ url: await pg.createDatabase('retention-replay') });
    try {
      await migrateArchive(fresh);
      await catchUp(fresh);
      const replay = await dumpArchive(fresh);
      expect(live, firstDifference(live, replay)).to.equal(replay);
    } finally {
      await fresh.close();
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
