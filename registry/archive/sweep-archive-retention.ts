// registry/archive/sweep-archive-retention: decides which transfers leave the archive — those whose last event is
// older than the retention (at least 3 years: PIPL art. 56, NDSMR) — and records each decision in the ledger as
// `archive.retention` (ids and counts only, api.md §8). It deletes nothing itself: the archiver deletes the rows
// when it reaches the event (write-batch.ts), so a replay of the ledger from scratch gives the live read model.
// The ledger's own entries stay: it is append-only and holds no personal data.
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../../platform/database.js';
import type { EventLog } from '../../platform/event-log.js';
import { perTransferTables } from './write-batch.js';

/** The law's floor: a caller passing less is refused rather than trusted (platform/config.ts enforces it too). */
export const minimumRetentionYears = 3;

/** pg_advisory_lock key of the sweep: "xbretn" as a number, so one sweep runs at a time across hosts. */
const sweepLockKey = 0x78627265746e;

export interface RetentionSweep {
  /** Transfers whose last event is before this instant were due. */
  readonly cutoff: string;
  /** Transfers decided by this sweep (their rows go when the archiver reaches the event). */
  readonly transferIds: readonly string[];
  /** Their rows per table when decided. */
  readonly rows: Readonly<Record<string, number>>;
  /** Where the decision is recorded in the ledger; null when nothing was due. */
  readonly ledgerIndex: number | null;
  /** Decisions an interrupted sweep had made but not recorded, recorded now. */
  readonly resumed: number;
}

export interface RetentionSweepOptions {
  readonly now: Date;
  readonly years: number;
  /** Transfers per decision: keeps the ledger event small. */
  readonly limit?: number;
}

interface Decision {
  readonly eventId: string;
  readonly cutoff: string;
  readonly years: number;
  readonly transferIds: readonly string[];
  readonly rows: Readonly<Record<string, number>>;
}

/** Appends the decision (again, after a crash: the same event id, so the ledger integrates it once). */
async function record(q: Queryable, events: EventLog, d: Decision): Promise<number> {
  const { index } = await events.append({
    type: 'archive.retention',
    eventId: d.eventId,
    cutoff: d.cutoff,
    years: d.years,
    transferIds: d.transferIds,
    rows: d.rows,
  });
  await q.query(
    'UPDATE archive_retentions SET ledger_index = coalesce(ledger_index, $2) WHERE event_id = $1',
    [d.eventId, index],
  );
  return index;
}

async function recordPending(q: Queryable, events: EventLog): Promise<number> {
  const pending = await q.query<{
    event_id: string;
    cutoff: string;
    years: number;
    transfer_ids: string[];
    rows: Record<string, number>;
  }>(
    'SELECT event_id, cutoff, years, transfer_ids, rows FROM archive_retentions WHERE ledger_index IS NULL ORDER BY event_id',
  );
  for (const p of pending)
    await record(q, events, {
      eventId: p.event_id,
      cutoff: p.cutoff,
      years: p.years,
      transferIds: p.transfer_ids,
      rows: p.rows,
    });
  return pending.length;
}

/** Writes the decision for up to `limit` due transfers not named by an earlier one; only the cutoff when none is. */
async function decide(q: Queryable, options: RetentionSweepOptions): Promise<Decision | { cutoff: string }> {
  const [{ cutoff } = { cutoff: '' }] = await q.query<{ cutoff: string }>(
    'SELECT ($1::timestamptz - make_interval(years => $2::int)) AS cutoff',
    [options.now.toISOString(), options.years],
  );
  const due = await q.query<{ transfer_id: string }>(
    `SELECT transfer_id FROM transfers t WHERE status_at < $1::timestamptz
       AND NOT EXISTS (SELECT 1 FROM archive_retentions r WHERE r.transfer_ids @> ARRAY[t.transfer_id])
     ORDER BY transfer_id LIMIT $2`,
    [cutoff, options.limit ?? 500],
  );
  const transferIds = due.map((r) => r.transfer_id);
  if (transferIds.length === 0) return { cutoff };
  const rows: Record<string, number> = {};
  for (const table of [...perTransferTables, 'transfers']) {
    const [row] = await q.query<{ n: number }>(
      `SELECT count(*)::bigint AS n FROM ${table} WHERE transfer_id = ANY($1::text[])`,
      [transferIds],
    );
    rows[table] = row?.n ?? 0;
  }
  const digest = createHash('sha256')
    .update(`${cutoff}\n${transferIds.join('\n')}`)
    .digest('hex');
  const decision = {
    eventId: `archive-retention-${digest}`,
    cutoff,
    years: options.years,
    transferIds,
    rows,
  };
  await q.query(
    `INSERT INTO archive_retentions (event_id, cutoff, years, transfer_ids, rows) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (event_id) DO NOTHING`,
    [decision.eventId, cutoff, options.years, transferIds, JSON.stringify(rows)],
  );
  return decision;
}

/**
 * One sweep: records the decisions an interrupted sweep left unrecorded, then decides at most `limit` transfers
 * and records that. The decision is written before the ledger event, so a crash in between loses nothing: the
 * next sweep appends it under the same event id. Resolves with null when another process is sweeping.
 */
export async function sweepArchiveRetention(
  db: Database,
  events: EventLog,
  options: RetentionSweepOptions,
): Promise<RetentionSweep | null> {
  if (!Number.isInteger(options.years) || options.years < minimumRetentionYears)
    throw new RangeError(
      `archive retention must be at least ${minimumRetentionYears} years, got ${options.years}`,
    );
  return db.session(async (session) => {
    const [lock] = await session.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1) AS held', [
      sweepLockKey,
    ]);
    if (lock?.held !== true) return null;
    try {
      const resumed = await recordPending(session, events);
      const decision = await decide(session, options);
      if (!('eventId' in decision))
        return { cutoff: decision.cutoff, transferIds: [], rows: {}, ledgerIndex: null, resumed };
      const ledgerIndex = await record(session, events, decision);
      return { ...decision, ledgerIndex, resumed };
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [sweepLockKey]);
    }
  });
}
