// registry/archive/sweep-archive-retention: deletes from the archive the transfers whose last event is older than the
// retention (at least 3 years: PIPL art. 56, NDSMR), and records each deletion in the ledger as `archive.retention`
// (ids and counts only, api.md §8). The ledger's own entries stay: it is append-only and holds no personal data.
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../../platform/database.js';
import type { EventLog } from '../../platform/event-log.js';

/** The law's floor: a caller passing less is refused rather than trusted (platform/config.ts enforces it too). */
export const minimumRetentionYears = 3;

export interface RetentionSweep {
  /** Transfers whose last event is before this instant were deleted. */
  readonly cutoff: string;
  readonly transferIds: readonly string[];
  /** Rows deleted per table. */
  readonly rows: Readonly<Record<string, number>>;
  /** Where the deletion is recorded in the ledger; null when nothing was due. */
  readonly ledgerIndex: number | null;
}

export interface RetentionSweepOptions {
  readonly now: Date;
  readonly years: number;
  /** Transfers per sweep: keeps the transaction and the ledger event small. */
  readonly limit?: number;
}

const perTransferTables = [
  'transfer_reasons',
  'checks',
  'decisions',
  'deliveries',
  'volume_commits',
] as const;

async function deleteRows(tx: Queryable, table: string, ids: readonly string[]): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `WITH d AS (DELETE FROM ${table} WHERE transfer_id = ANY($1::text[]) RETURNING 1) SELECT count(*)::bigint AS n FROM d`,
    [ids],
  );
  return row?.n ?? 0;
}

/**
 * One sweep of at most `limit` transfers, in one transaction. The ledger event is appended before the commit:
 * if the commit then fails the rows are still there and the next sweep deletes them and appends the same event
 * (same eventId, so the ledger integrates it once). A deletion is never unrecorded.
 */
export async function sweepArchiveRetention(
  db: Database,
  events: EventLog,
  options: RetentionSweepOptions,
): Promise<RetentionSweep> {
  if (!Number.isInteger(options.years) || options.years < minimumRetentionYears)
    throw new RangeError(
      `archive retention must be at least ${minimumRetentionYears} years, got ${options.years}`,
    );
  const limit = options.limit ?? 500;
  return db.transaction(async (tx) => {
    const [{ cutoff } = { cutoff: '' }] = await tx.query<{ cutoff: string }>(
      'SELECT ($1::timestamptz - make_interval(years => $2::int)) AS cutoff',
      [options.now.toISOString(), options.years],
    );
    const due = await tx.query<{ transfer_id: string }>(
      `SELECT transfer_id FROM transfers WHERE status_at < $1::timestamptz
       ORDER BY transfer_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [cutoff, limit],
    );
    const transferIds = due.map((r) => r.transfer_id);
    if (transferIds.length === 0) return { cutoff, transferIds, rows: {}, ledgerIndex: null };
    const rows: Record<string, number> = {};
    for (const table of perTransferTables) rows[table] = await deleteRows(tx, table, transferIds);
    rows['transfers'] = await deleteRows(tx, 'transfers', transferIds);
    const digest = createHash('sha256')
      .update(`${cutoff}\n${transferIds.join('\n')}`)
      .digest('hex');
    const { index } = await events.append({
      type: 'archive.retention',
      eventId: `archive-retention-${digest}`,
      cutoff,
      years: options.years,
      transferIds,
      rows,
    });
    return { cutoff, transferIds, rows, ledgerIndex: index };
  });
}
