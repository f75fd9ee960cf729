// registry/archive/open-archive-reader: the gateway's read-only view of the archive (api.md §10) — a small pool and the
// search over it — or undefined when no database is configured. Never migrates (`xborder archiver` does).
import { openDatabase, type Database } from '../../platform/database.js';
import { createArchiveSearch, type ArchiveSearch } from './archive-search.js';

export interface ArchiveReader {
  readonly db: Database;
  readonly search: ArchiveSearch;
}

export function openArchiveReader(url: string | undefined): ArchiveReader | undefined {
  if (url === undefined) return undefined;
  const db = openDatabase({
    url,
    maxConnections: 4,
    connectTimeoutMs: 3000,
    applicationName: 'xborder-gateway',
  });
  return { db, search: createArchiveSearch(db) };
}
