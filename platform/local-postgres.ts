// platform/local-postgres: which PostgreSQL `xborder start` (npm start) keeps its archive in, said out loud
// (api.md §2 XBORDER_DATABASE_URL). Rules:
// - XBORDER_DATABASE_URL set: that database, as told (it must answer);
// - not set, and PostgreSQL's server binaries installed: a server of xborder's own with its cluster under
//   `<data dir>/postgres` (created on first run, kept across runs), on a free loopback port, stopped with xborder;
// - not set and no binaries (or the server cannot start there): no archive (search covers Redis only, no reports), with the command that installs it.
// Someone else's PostgreSQL (a system one on 5432) is never written to unless XBORDER_DATABASE_URL names it.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DatabaseError, openDatabase, pingDatabase } from './database.js';
import { freeLocalPort } from './local-redis.js';
import {
  PostgresUnavailableError,
  findPostgresBinDir,
  initPostgresCluster,
  launchPostgres,
  stopPostgres,
} from './postgres-server.js';

export interface LocalPostgres {
  /** The archive's URL, or undefined when there is no archive in this run. */
  readonly url: string | undefined;
  readonly started: boolean;
  stop(): Promise<void>;
}

export interface EnsurePostgresOptions {
  readonly url: string | undefined;
  readonly dataDir: string;
  readonly say: (line: string) => void;
}

export const installPostgresHint =
  'install PostgreSQL (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql@16) or set XBORDER_DATABASE_URL';

/** The URL without its password, for printing. */
export function displayDatabaseUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

/** The database the archive lives in on a server of our own (created once; 42P04 = it exists). */
async function createArchiveDatabase(serverUrl: string, name: string): Promise<void> {
  const db = openDatabase({ url: serverUrl, maxConnections: 1 });
  try {
    await db.query(`CREATE DATABASE ${name}`);
  } catch (err) {
    if (!(err instanceof DatabaseError && err.code === '42P04')) throw err;
  } finally {
    await db.close();
  }
}

export async function ensurePostgres(options: EnsurePostgresOptions): Promise<LocalPostgres> {
  const { url, dataDir, say } = options;
  const none: LocalPostgres = { url: undefined, started: false, stop: () => Promise.resolve() };
  if (url !== undefined) {
    if (!(await pingDatabase(url, 5000)))
      throw new PostgresUnavailableError(
        `PostgreSQL does not answer at ${displayDatabaseUrl(url)} (XBORDER_DATABASE_URL). Start it, or unset the variable.`,
      );
    say(
      `Archive: PostgreSQL at ${displayDatabaseUrl(url)}, as XBORDER_DATABASE_URL says (not stopped by xborder).`,
    );
    return { url, started: false, stop: () => Promise.resolve() };
  }
  const binDir = findPostgresBinDir();
  if (binDir === undefined) {
    say(
      `Archive: off — XBORDER_DATABASE_URL is unset and PostgreSQL is not installed; search covers Redis only and reports are unavailable. To turn it on, ${installPostgresHint}.`,
    );
    return none;
  }
  const dir = path.join(dataDir, 'postgres');
  let child: ChildProcess;
  const port = await freeLocalPort();
  try {
    await initPostgresCluster(binDir, dir);
    child = await launchPostgres(binDir, dir, { port, durable: true, detached: true });
  } catch (err) {
    // The archive is not needed for a first look: without it, say why and go on (search covers Redis only).
    // As root the server runs as `nobody`, which must be able to reach the data dir (a 0700 parent stops it).
    say(
      `Archive: off — PostgreSQL could not be started under ${dir}: ${err instanceof Error ? err.message.split('\n').slice(-1)[0] : String(err)}. Set XBORDER_DATABASE_URL to use a running PostgreSQL.`,
    );
    return none;
  }
  // Whatever ends this process, the server goes with it (SIGINT: PostgreSQL's fast shutdown).
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const serverUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  try {
    await createArchiveDatabase(serverUrl, 'xborder');
  } catch (err) {
    await stopPostgres(child);
    throw err;
  }
  const archiveUrl = `postgres://postgres@127.0.0.1:${port}/xborder`;
  say(
    `Archive: PostgreSQL started by xborder because XBORDER_DATABASE_URL is unset (${binDir}, data in ${dir}, ${displayDatabaseUrl(archiveUrl)}); it stops when xborder stops.`,
  );
  return { url: archiveUrl, started: true, stop: () => stopPostgres(child) };
}
