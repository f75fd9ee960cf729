// test/support/archive-dump: the archive's whole read model as one comparable string (every table in a fixed order),
// and the first difference between two, so tests can say "equal to a replay from scratch" and show what is not.
import type { Database } from '../../platform/database.js';

const tables = [
  'SELECT ledger_index, type, at, transfer_id, encode(sha256(leaf), $$hex$$) AS leaf FROM ledger_entries ORDER BY 1',
  'SELECT * FROM transfers ORDER BY transfer_id',
  'SELECT * FROM transfer_reasons ORDER BY ledger_index, code',
  'SELECT * FROM checks ORDER BY ledger_index',
  'SELECT * FROM decisions ORDER BY ledger_index',
  'SELECT * FROM deliveries ORDER BY ledger_index',
  'SELECT * FROM registry_changes ORDER BY ledger_index',
  'SELECT * FROM volume_commits ORDER BY ledger_index',
  'SELECT * FROM exporter_years ORDER BY exporter_id, year',
  'SELECT * FROM archive_retentions ORDER BY event_id',
  'SELECT next_index FROM archive_position',
];

export async function dumpArchive(db: Database): Promise<string> {
  const parts: string[] = [];
  for (const sql of tables) parts.push(JSON.stringify(await db.query(sql)));
  return parts.join('\n');
}

/** The first table whose rows differ, and the first differing row, for a readable failure. */
export function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  const t = a.findIndex((part, i) => part !== e[i]);
  if (t < 0) return 'none';
  const ra = JSON.parse(a[t] ?? '[]') as unknown[];
  const re = JSON.parse(e[t] ?? '[]') as unknown[];
  const r = ra.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(re[i]));
  return `${tables[t]}: row ${r}: ${JSON.stringify(ra[r])} vs ${JSON.stringify(re[r])} (${ra.length} vs ${re.length} rows)`;
}
