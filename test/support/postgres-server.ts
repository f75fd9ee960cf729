// test/support/postgres-server: a private PostgreSQL for tests — initdb into a temp dir, a free loopback port, the
// unix socket inside the temp dir, fsync off for speed; as root the server runs as `nobody`. Real PostgreSQL, never
// an emulator.
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeLocalPort } from '../../platform/local-redis.js';
import {
  findPostgresBinDir,
  initPostgresCluster,
  launchPostgres,
  stopPostgres,
} from '../../platform/postgres-server.js';

export interface TestPostgres {
  /** The server's `postgres` database as superuser `postgres`. */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** A fresh empty database on this server, and its URL. */
  createDatabase(name: string): Promise<string>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPostgresServer(): Promise<TestPostgres> {
  const binDir = findPostgresBinDir();
  if (binDir === undefined)
    throw new Error('PostgreSQL server binaries not found (Debian: apt-get install postgresql)');
  const port = await freeLocalPort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-pg-'));
  await initPostgresCluster(binDir, dir);
  let child: ChildProcess = await launchPostgres(binDir, dir, { port, durable: false });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const { openDatabase } = await import('../../platform/database.js');
  return {
    url,
    port,
    dir,
    async createDatabase(name) {
      const db = openDatabase({ url, maxConnections: 1 });
      try {
        await db.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await db.close();
      }
      return `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`;
    },
    async restart() {
      await stopPostgres(child);
      child = await launchPostgres(binDir, dir, { port, durable: false });
    },
    async stop() {
      await stopPostgres(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
