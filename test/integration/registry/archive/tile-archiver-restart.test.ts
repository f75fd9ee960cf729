// The archiver on the tiles ledger across restarts (real S3 (Swift), Redis and PostgreSQL): the archive keeps the
// checkpoint it last trusted beside its position (schema migration 5), and a restarted archiver starts from it —
// the same store grown is followed on; a store of another history signed with the same key (a fork) is refused
// and nothing is written; an older checkpoint put back (a rollback) serves no fewer entries than the archive
// holds, as a live archiver does with a stale sequencer; and migration 5 on a version-4 archive keeps its entries,
// trusts the first checkpoint once and anchors to it.
import { expect } from 'chai';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startArchiver } from '../../../../cli/start-archiver.js';
import { ledgerVerifierFrom } from '../../../../cli/offline-verifier.js';
import { createDevPki } from '../../../../certs/dev-pki.js';
import { loadSigner } from '../../../../certs/load-signer.js';
import { parseCheckpoint } from '../../../../ledger/checkpoint.js';
import type { Ledger } from '../../../../ledger/ledger.js';
import type { LedgerEvent } from '../../../../ledger/leaf-encoding.js';
import { createObjectTileStorage } from '../../../../ledger/object-tile-storage.js';
import { openEventLog } from '../../../../ledger/open-event-log.js';
import { CHECKPOINT_PATH } from '../../../../ledger/tile-math.js';
import { checkpointHistoryKey } from '../../../../ledger/tile-reader.js';
import type { TileStorage } from '../../../../ledger/tile-storage.js';
import { createArchiver } from '../../../../registry/archive/archiver.js';
import { migrateArchive } from '../../../../registry/archive/migrate-archive.js';
import { projectEvents } from '../../../../registry/archive/project-events.js';
import { schemaMigrations } from '../../../../registry/archive/schema-migrations.js';
import { openTileLedgerSource } from '../../../../registry/archive/tile-ledger-source.js';
import { writeBatch } from '../../../../registry/archive/write-batch.js';
import { systemClock } from '../../../../platform/clock.js';
import type { Config } from '../../../../platform/config.js';
import { openDatabase, type Database } from '../../../../platform/database.js';
import { createLogger } from '../../../../platform/logger.js';
import type { ObjectStoreClient } from '../../../../platform/object-store.js';
import { createRedis, type Redis } from '../../../../platform/redis.js';
import { dumpArchive, firstDifference } from '../../../support/archive-dump.js';
import { startPostgresServer, type TestPostgres } from '../../../support/postgres-server.js';
import { startRedisServer, type TestRedis } from '../../../support/redis-server.js';
import { s3ClientFor, s3Config } from '../../../support/s3-deployment.js';
import { startS3Server, type TestS3Server } from '../../../support/s3-server.js';
import { refusal } from '../../../support/tile-ledger-refusal.js';
import { transferEvents } from '../../../support/scripted-ledger.js';

const quiet = createLogger({ level: 'error', name: 'test', write: () => undefined });

interface Signed {
  readonly size: number;
  readonly root: Buffer;
}

function signedTree(note: string): Signed {
  const parsed = parseCheckpoint(note);
  if (!parsed.ok) throw new Error('the ledger signed an unparsable checkpoint');
  return { size: parsed.checkpoint.size, root: parsed.checkpoint.rootHash };
}

/** Events of transfers [first, first + count), submitted a minute apart from `start`. */
function eventsOf(first: number, count: number, start: Date, ytd: Map<string, number>): LedgerEvent[] {
  return Array.from({ length: count }, (_, k) =>
    transferEvents(first + k, new Date(start.getTime() + k * 60_000), ytd),
  ).flat();
}

async function position(db: Database): Promise<{ next: number; size: number | null; root: Buffer | null }> {
  const [row] = await db.query<{
    next_index: number;
    checkpoint_size: number | null;
    checkpoint_root: Buffer | null;
  }>('SELECT next_index, checkpoint_size, checkpoint_root FROM archive_position');
  if (row === undefined) throw new Error('no archive position');
  return { next: row.next_index, size: row.checkpoint_size, root: row.checkpoint_root };
}

describe('archiver restarts on the tiles ledger: the anchor kept with the position (real S3, Redis, PostgreSQL)', function () {
  this.timeout(300_000);
  let s3: TestS3Server;
  let redisServer: TestRedis;
  let redis: Redis;
  let pg: TestPostgres;
  let client: ObjectStoreClient;
  let storage: TileStorage;
  let forkStorage: TileStorage;
  let dir: string;
  let forkDir: string;
  let config: Config;
  let ledger: Ledger;
  let fork: Ledger;
  let first: Signed;
  let grown: Signed;
  let dbUrl: string;
  let db: Database;
  const start = new Date('2026-03-02T01:00:00Z');
  const verifier = () => ledgerVerifierFrom(config.signing.cert);
  const sourceOn = async (on: TileStorage) =>
    openTileLedgerSource({ storage: on, verifier: await verifier() });

  before(async () => {
    [s3, redisServer, pg] = await Promise.all([startS3Server(), startRedisServer(), startPostgresServer()]);
    await s3.createBucket('xborder-ledger');
    client = s3ClientFor(s3);
    storage = createObjectTileStorage(client.open({ bucket: 'xborder-ledger', prefix: 'log/' }));
    forkStorage = createObjectTileStorage(client.open({ bucket: 'xborder-ledger', prefix: 'fork/' }));
    redis = createRedis(redisServer.url);
    dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-tile-restart-'));
    await createDevPki(path.join(dir, 'pki'));
    const env = {
      XBORDER_REDIS_URL: redisServer.url,
      XBORDER_POLICY_DIR: path.resolve('policies'),
    };
    config = s3Config(s3, dir, {
      ...env,
      XBORDER_DATA_DIR: dir,
      XBORDER_LEDGER_STORE: 's3://xborder-ledger/log',
    });
    // The fork: another sequencer (its own Redis keys and tile cache) signing with the same key, as a stale
    // sequencer's store or a restored backup of another history would be.
    forkDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-tile-fork-'));
    cpSync(path.join(dir, 'pki'), path.join(forkDir, 'pki'), { recursive: true });
    const forkConfig = s3Config(s3, forkDir, {
      ...env,
      XBORDER_DATA_DIR: forkDir,
      XBORDER_REDIS_PREFIX: 'fork',
      XBORDER_LEDGER_STORE: 's3://xborder-ledger/fork',
    });
    const signer = await loadSigner(config.signing.key, config.signing.cert);
    ({ ledger } = await openEventLog({ config, redis, signer, clock: systemClock, logger: quiet }));
    ({ ledger: fork } = await openEventLog({
      config: forkConfig,
      redis,
      signer,
      clock: systemClock,
      logger: quiet,
    }));
    const ytd = new Map<string, number>();
    await ledger.appendMany(eventsOf(0, 20, start, ytd));
    await ledger.appendMany(eventsOf(20, 20, start, ytd));
    await ledger.appendMany(eventsOf(40, 20, start, ytd));
    first = signedTree(await ledger.checkpoint());
    expect(first.size).to.be.greaterThan(256);
    dbUrl = await pg.createDatabase('restarts');
    db = openDatabase({ url: dbUrl });
    await migrateArchive(db);
  });

  after(async () => {
    await db?.close();
    await ledger?.close();
    await fork?.close();
    redis?.disconnect();
    client?.close();
    await Promise.all([s3?.stop(), redisServer?.stop(), pg?.stop()]);
    for (const d of [dir, forkDir]) if (d !== undefined) rmSync(d, { recursive: true, force: true });
  });

  /** `xborder archiver` (a new process's state) until the archive holds `size` entries, then stopped. */
  async function runArchiverTo(size: number): Promise<void> {
    const archiver = await startArchiver(
      config,
      { logger: quiet },
      { databaseUrl: dbUrl, metricsPort: 0, batchSize: 100 },
    );
    try {
      const deadline = Date.now() + 120_000;
      while ((await position(db)).next < size && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await position(db)).next).to.equal(size);
    } finally {
      await archiver.close();
    }
  }
  it('(a) restarted on the same store grown: resumes from its anchor and archives the rest', async () => {
    await runArchiverTo(first.size);
    expect(await position(db)).to.deep.equal({ next: first.size, size: first.size, root: first.root });

    await ledger.appendMany(eventsOf(60, 10, new Date('2026-03-03T01:00:00Z'), new Map()));
    grown = signedTree(await ledger.checkpoint());
    expect(grown.size).to.be.greaterThan(first.size);
    await runArchiverTo(grown.size);
    expect(await position(db)).to.deep.equal({ next: grown.size, size: grown.size, root: grown.root });

    // Nothing lost or written twice across the restart: the read model of one run from scratch.
    const scratch = openDatabase({ url: await pg.createDatabase('scratch') });
    try {
      await migrateArchive(scratch);
      await createArchiver({ db: scratch, source: await sourceOn(storage) }).catchUp();
      const [restarted, once] = [await dumpArchive(db), await dumpArchive(scratch)];
      expect(restarted, firstDifference(restarted, once)).to.equal(once);
    } finally {
      await scratch.close();
    }
  });

  it('(b) restarted on a forked store signed with the same key, of the same or a larger size: refused, nothing written', async () => {
    // The fork shares the first batch, then diverges: other transfers, up to exactly the anchored size.
    const ytd = new Map<string, number>();
    await fork.appendMany(eventsOf(0, 20, start, ytd));
    const diverging = eventsOf(1000, 80, new Date('2026-04-01T01:00:00Z'), ytd);
    const shared = signedTree(await fork.checkpoint()).size;
    await fork.appendMany(diverging.slice(0, grown.size - shared));
    const sameSize = signedTree(await fork.checkpoint());
    expect(sameSize.size).to.equal(grown.size);
    expect(sameSize.root.equals(grown.root)).to.equal(false);
    // Without the anchor (as every restart was before migration 5), the fork would be taken as the ledger.
    expect(await (await sourceOn(forkStorage)).size()).to.equal(grown.size);

    const before = await dumpArchive(db);
    const anchored = await position(db);
    const sameErr = await refusal(async () =>
      createArchiver({ db, source: await sourceOn(forkStorage) }).step(),
    );
    expect(sameErr.message).to.equal(
      `the ledger in the object store is refused: the checkpoint of size ${grown.size} is not consistent with ` +
        `the one of size ${grown.size} the archive last trusted (ROOT_MISMATCH)`,
    );

    await fork.appendMany(diverging.slice(grown.size - shared));
    const larger = signedTree(await fork.checkpoint());
    expect(larger.size).to.be.greaterThan(grown.size);
    const largerErr = await refusal(async () =>
      createArchiver({ db, source: await sourceOn(forkStorage) }).catchUp(),
    );
    expect(largerErr.message).to.match(
      new RegExp(
        `checkpoint of size ${larger.size} is not consistent with the one of size ${grown.size} the archive last trusted`,
      ),
    );
    expect(await position(db)).to.deep.equal(anchored);
    const after = await dumpArchive(db);
    expect(after, firstDifference(after, before)).to.equal(before);
  });

  it('(c) restarted on a rolled-back store (an older checkpoint put back): not refused, serves what it had, as a live archiver does', async () => {
    const live = await sourceOn(storage);
    expect(await live.size()).to.equal(grown.size);
    const latest = (await storage.get(CHECKPOINT_PATH)) ?? new Uint8Array();
    const older = await storage.get(checkpointHistoryKey(first.size));
    expect(older).to.not.equal(undefined);
    await storage.put(CHECKPOINT_PATH, older ?? new Uint8Array());
    try {
      // Unanchored, a new process would take the older checkpoint as the ledger's size.
      expect(await (await sourceOn(storage)).size()).to.equal(first.size);
      const anchored = await position(db);
      const restarted = await sourceOn(storage);
      expect(await createArchiver({ db, source: restarted }).step()).to.equal(0);
      expect(await restarted.size()).to.equal(grown.size);
      expect(await live.size()).to.equal(grown.size);
      expect(await position(db)).to.deep.equal(anchored);
    } finally {
      await storage.put(CHECKPOINT_PATH, latest);
    }
  });

  it('(d) migration 5 on a version-4 archive with entries: keeps them, trusts the first checkpoint once, then anchors', async () => {
    const v4 = openDatabase({ url: await pg.createDatabase('from-v4') });
    try {
      const state4 = await migrateArchive(
        v4,
        schemaMigrations.filter((m) => m.version <= 4),
      );
      expect(state4.to).to.equal(4);
      // The first checkpoint's entries, written as the version-4 archiver did: one batch and the position.
      const leaves: Buffer[] = [];
      for (let i = 0; i < first.size; i += 1) leaves.push(await ledger.entry(i));
      await v4.transaction(async (tx) => {
        await writeBatch(tx, projectEvents(0, leaves));
        await tx.query('UPDATE archive_position SET next_index = $1, updated_at = now()', [first.size]);
      });

      const state5 = await migrateArchive(v4);
      expect(state5).to.deep.equal({ from: 4, to: 5, applied: [5] });
      expect(await position(v4)).to.deep.equal({ next: first.size, size: null, root: null });

      await createArchiver({ db: v4, source: await sourceOn(storage) }).catchUp();
      expect(await position(v4)).to.deep.equal({ next: grown.size, size: grown.size, root: grown.root });
      const [migrated, archived] = [await dumpArchive(v4), await dumpArchive(db)];
      expect(migrated, firstDifference(migrated, archived)).to.equal(archived);
      // Anchored now: the next restart refuses the fork.
      await refusal(async () => createArchiver({ db: v4, source: await sourceOn(forkStorage) }).step());
    } finally {
      await v4.close();
    }
  });
});
