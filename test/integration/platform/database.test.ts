// The pg wrapper against a real PostgreSQL started by the test (initdb in a temp dir, a free loopback port).
import { expect } from 'chai';
import { openDatabase, pingDatabase, DatabaseError, type Database } from '../../../platform/database.js';
import { startPostgresServer, type TestPostgres } from '../../support/postgres-server.js';

describe('platform/database (real PostgreSQL)', function () {
  this.timeout(120_000);
  let server: TestPostgres;
  let db: Database;

  before(async () => {
    server = await startPostgresServer();
    db = openDatabase({ url: await server.createDatabase('wrapper') });
    await db.query('CREATE TABLE t (id bigint PRIMARY KEY, at timestamptz)');
  });
  after(async () => {
    await db?.close();
    await server?.stop();
  });

  it('answers a ping on the test server and none on a closed port', async () => {
    expect(await pingDatabase(server.url)).to.equal(true);
    expect(await pingDatabase('postgres://postgres@127.0.0.1:1/postgres', 500)).to.equal(false);
  });

  it('reads int8 as numbers and timestamptz as RFC 3339 UTC', async () => {
    await db.query('INSERT INTO t VALUES ($1, $2)', [9_007_199_254_740_000, '2026-01-01T00:00:00+08:00']);
    const rows = await db.query<{ id: number; at: string }>('SELECT id, at FROM t');
    expect(rows).to.deep.equal([{ id: 9_007_199_254_740_000, at: '2025-12-31T16:00:00.000Z' }]);
  });

  it('rolls a transaction back when its work throws, and reports SQLSTATE codes', async () => {
    const failed = await db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1, now())');
        await tx.query('INSERT INTO t VALUES (1, now())');
      })
      .catch((err: unknown) => err);
    expect(failed).to.be.instanceOf(DatabaseError);
    expect((failed as DatabaseError).code).to.equal('23505');
    expect(await db.query('SELECT id FROM t WHERE id = 1')).to.deep.equal([]);
  });

  it('copies rows in with COPY FROM STDIN', async () => {
    const n = await db.copyFrom('COPY t (id) FROM STDIN', ['10\n', '11\n', '12\n']);
    expect(n).to.equal(3);
  });
});
