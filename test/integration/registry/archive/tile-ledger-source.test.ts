// `xborder archiver` on the ledger as C2SP tiles in a real S3 (Swift with s3api), sequenced through a real Redis as the
// processes run it, into a real PostgreSQL: it catches up to the latest signed checkpoint, the read model equals
// the one archived from a file ledger holding the same entries, and a tampered checkpoint (bad signature, or signed
// but inconsistent with the one seen before) or a tampered entry bundle is refused with a clear error.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startArchiver } from '../../../../cli/start-archiver.js';
import { ledgerVerifierFrom } from '../../../../cli/offline-verifier.js';
import { createDevPki } from '../../../../certs/dev-pki.js';
import { loadSigner } from '../../../../certs/load-signer.js';
import { parseCheckpoint, signCheckpoint } from '../../../../ledger/checkpoint.js';
import { openLedgerStore } from '../../../../ledger/index.js';
import type { Ledger } from '../../../../ledger/ledger.js';
import { createObjectTileStorage } from '../../../../ledger/object-tile-storage.js';
import { ledgerKeyName, ledgerOrigin, openEventLog } from '../../../../ledger/open-event-log.js';
import { CHECKPOINT_PATH, decodeBundle, encodeBundle, entriesPath } from '../../../../ledger/tile-math.js';
import type { TileStorage } from '../../../../ledger/tile-storage.js';
import { createArchiver } from '../../../../registry/archive/archiver.js';
import { openLedgerSource } from '../../../../registry/archive/ledger-source.js';
import { migrateArchive } from '../../../../registry/archive/migrate-archive.js';
import { openTileLedgerSource } from '../../../../registry/archive/tile-ledger-source.js';
import { systemClock } from '../../../../platform/clock.js';
import type { Config } from '../../../../platform/config.js';
import { openDatabase } from '../../../../platform/database.js';
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
const transfers = 120;

describe('archiver on the tiles ledger in a real S3 (Swift), real Redis and PostgreSQL', function () {
  this.timeout(300_000);
  let s3: TestS3Server;
  let redisServer: TestRedis;
  let redis: Redis;
  let pg: TestPostgres;
  let client: ObjectStoreClient;
  let storage: TileStorage;
  let dir: string;
  let config: Config;
  let ledger: Ledger;
  let signedSize: number;

  before(async () => {
    [s3, redisServer, pg] = await Promise.all([startS3Server(), startRedisServer(), startPostgresServer()]);
    await s3.createBucket('xborder-ledger');
    client = s3ClientFor(s3);
    storage = createObjectTileStorage(client.open({ bucket: 'xborder-ledger', prefix: 'log/' }));
    redis = createRedis(redisServer.url);
    dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-tile-archive-'));
    await createDevPki(path.join(dir, 'pki'));
    config = s3Config(s3, dir, {
      XBORDER_REDIS_URL: redisServer.url,
      XBORDER_DATA_DIR: dir,
      XBORDER_POLICY_DIR: path.resolve('policies'),
      XBORDER_LEDGER_STORE: 's3://xborder-ledger/log',
    });
    // The ledger as the gateway and workers open it: tiles written by the sequencer holding the Redis lease.
    const signer = await loadSigner(config.signing.key, config.signing.cert);
    ({ ledger } = await openEventLog({ config, redis, signer, clock: systemClock, logger: quiet }));
    const ytd = new Map<string, number>();
    const start = new Date('2026-03-02T01:00:00Z');
    for (let n = 0; n < transfers; n += 20) {
      const events = Array.from({ length: 20 }, (_, k) =>
        transferEvents(n + k, new Date(start.getTime() + (n + k) * 60_000), ytd),
      ).flat();
      await ledger.appendMany(events);
    }
    // Entries reach the archiver once a checkpoint covers them.
    const parsed = parseCheckpoint(await ledger.checkpoint());
    signedSize = parsed.ok ? parsed.checkpoint.size : 0;
    expect(signedSize).to.be.greaterThan(256);
  });

  after(async () => {
    await ledger?.close();
    redis?.disconnect();
    client?.close();
    await Promise.all([s3?.stop(), redisServer?.stop(), pg?.stop()]);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('`xborder archiver` with XBORDER_LEDGER_STORE=s3:// catches up, and equals the archive of a file ledger of the same entries', async () => {
    const url = await pg.createDatabase('tiles');
    const archiver = await startArchiver(
      config,
      { logger: quiet },
      { databaseUrl: url, metricsPort: 0, batchSize: 100 },
    );
    const db = openDatabase({ url });
    try {
      const deadline = Date.now() + 120_000;
      let position = 0;
      while (position < signedSize && Date.now() < deadline) {
        const [row] = await db.query<{ next_index: number }>('SELECT next_index FROM archive_position');
        position = row?.next_index ?? 0;
        if (position < signedSize) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(position).to.equal(signedSize);
      const [counts] = await db.query<{ transfers: number; released: number }>(
        "SELECT count(*)::bigint AS transfers, count(*) FILTER (WHERE status = 'released')::bigint AS released FROM transfers",
      );
      expect(counts?.transfers).to.equal(transfers);
      expect(counts?.released).to.be.greaterThan(0);

      // The same leaves in a file ledger, archived from scratch: the same read model row for row.
      const fileDir = path.join(dir, 'file-copy');
      const store = await openLedgerStore(path.join(fileDir, 'ledger'));
      const leaves: Buffer[] = [];
      for (let i = 0; i < signedSize; i += 1) leaves.push(await ledger.entry(i));
      await store.append(leaves);
      await store.close();
      const replayDb = openDatabase({ url: await pg.createDatabase('file-replay') });
      try {
        await migrateArchive(replayDb);
        const source = await openLedgerSource(fileDir);
        await createArchiver({ db: replayDb, source }).catchUp();
        await source.close();
        const [live, replay] = [await dumpArchive(db), await dumpArchive(replayDb)];
        expect(live, firstDifference(live, replay)).to.equal(replay);
      } finally {
        await replayDb.close();
      }
    } finally {
      await archiver.close();
      await db.close();
    }
  });

  it('takes a later checkpoint consistent with the one seen, and reads the entries it adds', async () => {
    const s = openTileLedgerSource({ storage, verifier: await ledgerVerifierFrom(config.signing.cert) });
    expect(await s.size()).to.equal(signedSize);
    const start = new Date('2026-03-03T01:00:00Z');
    await ledger.appendMany(transferEvents(transfers, start, new Map()));
    await ledger.checkpoint();
    const stored = parseCheckpoint(Buffer.from((await storage.get(CHECKPOINT_PATH)) ?? '').toString('utf8'));
    const size = stored.ok ? stored.checkpoint.size : 0;
    expect(size).to.be.greaterThan(signedSize);
    expect(await s.size()).to.equal(size);
    const added = await s.read(signedSize, size - signedSize);
    expect(added.map((leaf) => Buffer.from(leaf).toString('utf8'))).to.satisfy((leaves: string[]) =>
      leaves.every((leaf) => leaf.includes('"transferId"')),
    );
    signedSize = size;
  });

  describe('refuses what the gateway did not sign', () => {
    let original: Uint8Array;
    const verifier = () => ledgerVerifierFrom(config.signing.cert);
    const source = async () => {
      const s = openTileLedgerSource({ storage, verifier: await verifier() });
      expect(await s.size()).to.equal(signedSize);
      return s;
    };

    before(async () => {
      original = (await storage.get(CHECKPOINT_PATH)) ?? new Uint8Array();
    });
    afterEach(async () => {
      await storage.put(CHECKPOINT_PATH, original);
    });

    it('a checkpoint whose signature does not verify (a size edited), and the archiver writes nothing', async () => {
      const s = await source();
      const note = Buffer.from(original).toString('utf8');
      const edited = note.replace(`\n${signedSize}\n`, `\n${signedSize + 1}\n`);
      expect(edited).to.not.equal(note);
      await storage.put(CHECKPOINT_PATH, Buffer.from(edited));
      const err = await refusal(() => s.size());
      expect(err.message).to.match(/checkpoint does not verify with the gateway's key/);

      const db = openDatabase({ url: await pg.createDatabase('tampered') });
      try {
        await migrateArchive(db);
        const fresh = openTileLedgerSource({ storage, verifier: await verifier() });
        await refusal(() => createArchiver({ db, source: fresh }).step());
        const [row] = await db.query<{ next_index: number }>('SELECT next_index FROM archive_position');
        expect(row?.next_index).to.equal(0);
      } finally {
        await db.close();
      }
    });

    it('a checkpoint signed with the key but not consistent with the one seen before (a rewritten history)', async () => {
      const s = await source();
      const signer = await loadSigner(config.signing.key, config.signing.cert);
      const forged = signCheckpoint(
        { origin: ledgerOrigin, size: signedSize, rootHash: randomBytes(32) },
        { keyName: ledgerKeyName, privateKey: signer.privateKey },
      );
      await storage.put(CHECKPOINT_PATH, Buffer.from(forged));
      const err = await refusal(() => s.size());
      expect(err.message).to.match(
        new RegExp(`checkpoint of size ${signedSize} is not consistent with the one of size ${signedSize}`),
      );
    });

    it('an entry edited in its bundle', async () => {
      const s = await source();
      const bundlePath = entriesPath(0);
      const bundle = (await storage.get(bundlePath)) ?? new Uint8Array();
      const entries = decodeBundle(bundle);
      const edited = entries.map((e, i) =>
        i === 7 ? Buffer.from(e.toString('utf8').replace('"type"', '"type" ')) : e,
      );
      await storage.put(bundlePath, encodeBundle(edited));
      try {
        const err = await refusal(() => s.read(0, 100));
        expect(err.message).to.match(/entries \[0, 100\) do not hash to the signed root/);
      } finally {
        await storage.put(bundlePath, bundle);
      }
    });
  });
});
