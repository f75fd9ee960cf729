// platform/database: the one file that wraps `pg` (node-postgres) — a pool, queries with parameters, transactions,
// session-scoped work (advisory locks) and COPY FROM. pg's types and errors stop here: callers see plain rows and
// DatabaseError with the SQLSTATE code. Must not know any table.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';

export type SqlValue =
  string | number | boolean | null | Date | Buffer | readonly string[] | readonly number[];
export type Row = Record<string, unknown>;

export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
}

export interface Database extends Queryable {
  /** Runs `work` in one transaction (BEGIN … COMMIT, ROLLBACK on a throw) on one connection. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs `work` on one connection held throughout (session-level advisory locks live on a connection). */
  session<T>(work: (session: Queryable) => Promise<T>): Promise<T>;
  /** `COPY … FROM STDIN` fed with `lines` (text format); resolves with the rows copied. */
  copyFrom(sql: string, lines: AsyncIterable<string> | Iterable<string>): Promise<number>;
  close(): Promise<void>;
}

export class DatabaseError extends Error {
  /** SQLSTATE (e.g. 23505 unique_violation), or undefined for a connection failure. */
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseError';
    this.code = code;
  }
}

export interface DatabaseOptions {
  readonly url: string;
  readonly maxConnections?: number;
  readonly connectTimeoutMs?: number;
  /** Prefixes the server's application_name: shows who holds a lock in pg_stat_activity. */
  readonly applicationName?: string;
}

const INT8 = 20;
const TIMESTAMPTZ = 1184;

/** int8 as a number (ledger indexes and counts stay far below 2^53) and timestamptz as RFC 3339 UTC text. */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) => {
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === TIMESTAMPTZ) return (value: string) => new Date(value).toISOString();
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

function wrapError(err: unknown): DatabaseError {
  if (err instanceof DatabaseError) return err;
  const code =
    typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
      ? err.code
      : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return new DatabaseError(message, code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? code : undefined, {
    cause: err,
  });
}

function isDriverError(err: unknown): boolean {
  return (
    err instanceof pg.DatabaseError ||
    (err instanceof Error && 'code' in err && typeof err.code === 'string' && !(err instanceof DatabaseError))
  );
}

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
      try {
        const result = await client.query<R>(sql, params as unknown[]);
        return result.rows;
      } catch (err) {
        throw wrapError(err);
      }
    },
  };
}

export function openDatabase(options: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 5,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: options.applicationName ?? 'xborder',
    types: typeParsers,
  });
  // An idle connection the server dropped (restart, admin kill) must not crash the process; the next query
  // gets a fresh one.
  pool.on('error', () => undefined);
  const direct = queryable(pool);

  async function withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw wrapError(err);
    }
    let broken = false;
    try {
      return await work(client);
    } catch (err) {
      broken = true;
      // The caller's own errors pass through unchanged; only the driver's become DatabaseError.
      throw isDriverError(err) ? wrapError(err) : err;
    } finally {
      // A connection that failed mid-work may hold a transaction or a lock: destroyed, never reused.
      client.release(broken);
    }
  }

  return {
    query: (sql, params) => direct.query(sql, params),
    transaction: (work) =>
      withClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await work(queryable(client));
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }),
    session: (work) => withClient((client) => work(queryable(client))),
    copyFrom: (sql, lines) =>
      withClient(async (client) => {
        const stream = client.query(copyStreams.from(sql));
        await pipeline(Readable.from(lines), stream);
        return stream.rowCount ?? 0;
      }),
    close: () => pool.end(),
  };
}

/** True when a PostgreSQL answers at `url` (a connection and `SELECT 1`) within `timeoutMs`. */
export async function pingDatabase(url: string, timeoutMs = 2000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
