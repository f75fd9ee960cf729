// Schema migrations of the archive against a real PostgreSQL: applied once under concurrency, refused when the
// database is newer than the code, required by readers.
import { expect } from 'chai';
import {
  ArchiveSchemaError,
  checkArchiveSchema,
  migrateArchive,
} from '../../../../registry/archive/migrate-archive.js';
import { schemaMigrations } from '../../../../registry/archive/schema-migrations.js';
import { openDatabase, type Database } from '../../../../platform/database.js';
import { startPostgresServer, type TestPostgres } from '../../../support/postgres-server.js';

describe('archive/migrate-archive (real PostgreSQL)', function () {
  this.timeout(120_000);
  let server: TestPostgres;
  let db: Database;

  before(async () => {
    server = await startPostgresServer();
    db = openDatabase({ url: await server.createDatabase('migrations') });
  });
  after(async () => {
    await db?.close();
    await server?.stop();
  });

  it('readers refuse an archive that was never migrated', async () => {
    const err = await checkArchiveSchema(db).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ArchiveSchemaError);
    expect((err as Error).message).to.match(/xborder archiver/);
  });

  it('applies every migration once when several processes start at the same moment', async () => {
    const known = Math.max(...schemaMigrations.map((m) => m.version));
    const results = await Promise.all([migrateArchive(db), migrateArchive(db), migrateArchive(db)]);
    expect(results.flatMap((r) => r.applied)).to.deep.equal(schemaMigrations.map((m) => m.version));
    const rows = await db.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).to.deep.equal(schemaMigrations.map((m) => m.version));
    await checkArchiveSchema(db);
    expect(results.every((r) => r.to === known)).to.equal(true);
  });

  it('a failing migration leaves nothing behind', async () => {
    const next = Math.max(...schemaMigrations.map((m) => m.version)) + 1;
    const broken = [
      ...schemaMigrations,
      { version: next, name: 'half', sql: 'CREATE TABLE half_done (x int); SELECT 1/0;' },
    ];
    const err = await migrateArchive(db, broken).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
    const [row] = await db.query<{ present: boolean }>(
      "SELECT to_regclass('half_done') IS NOT NULL AS present",
    );
    expect(row?.present).to.equal(false);
  });

  it('refuses a database whose schema is newer than this code knows, for writers and readers', async () => {
    await db.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')");
    try {
      for (const attempt of [() => migrateArchive(db), () => checkArchiveSchema(db)]) {
        const err = await attempt().catch((e: unknown) => e);
        expect(err).to.be.instanceOf(ArchiveSchemaError);
        expect((err as Error).message).to.match(/version 999, newer than this xborder knows/);
      }
    } finally {
      await db.query('DELETE FROM schema_migrations WHERE version = 999');
    }
  });
});
