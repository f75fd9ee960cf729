// registry/archive/migrate-archive: brings the archive database to the schema this code knows, or refuses. Pending
// migrations run in one transaction under an advisory lock, so two processes starting at once apply them once.
// A database at a newer version than the code knows is never touched (an older binary must not write to it).
import type { Database, Queryable } from '../../platform/database.js';
import { schemaMigrations, type SchemaMigration } from './schema-migrations.js';

/** pg_advisory_lock key of schema changes: "xbmigr" as a number, fixed so every version agrees on it. */
const migrationLockKey = 0x78626d69677200;

export class ArchiveSchemaError extends Error {
  override readonly name = 'ArchiveSchemaError';
}

export interface SchemaState {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly number[];
}

async function currentVersion(q: Queryable): Promise<number> {
  const [row] = await q.query<{ version: number | null }>(
    'SELECT max(version)::int AS version FROM schema_migrations',
  );
  return row?.version ?? 0;
}

function newest(migrations: readonly SchemaMigration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

function refuseNewer(found: number, known: number): void {
  if (found > known)
    throw new ArchiveSchemaError(
      `The archive database is at schema version ${found}, newer than this xborder knows (${known}): upgrade xborder.`,
    );
}

export async function migrateArchive(
  db: Database,
  migrations: readonly SchemaMigration[] = schemaMigrations,
): Promise<SchemaState> {
  const known = newest(migrations);
  return db.session(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    try {
      await session.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const from = await currentVersion(session);
      refuseNewer(from, known);
      const pending = [...migrations].filter((m) => m.version > from).sort((a, b) => a.version - b.version);
      if (pending.length > 0) {
        await session.query('BEGIN');
        try {
          for (const m of pending) {
            await session.query(m.sql);
            await session.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
              m.version,
              m.name,
            ]);
          }
          await session.query('COMMIT');
        } catch (err) {
          await session.query('ROLLBACK');
          throw err;
        }
      }
      return { from, to: known, applied: pending.map((m) => m.version) };
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]);
    }
  });
}

/** For readers (the gateway): the schema must be exactly the one this code knows; they never migrate. */
export async function checkArchiveSchema(
  db: Queryable,
  migrations: readonly SchemaMigration[] = schemaMigrations,
): Promise<void> {
  const known = newest(migrations);
  const [exists] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  const found = exists?.present === true ? await currentVersion(db) : 0;
  refuseNewer(found, known);
  if (found < known)
    throw new ArchiveSchemaError(
      `The archive database is at schema version ${found}; this xborder needs ${known}: start \`xborder archiver\` to migrate it.`,
    );
}
