// registry/archive/write-batch: writes one projected batch into the archive inside the caller's transaction — bulk
// inserts through unnest(), every per-entry row keyed by its ledger index (ON CONFLICT DO NOTHING), so a batch
// written twice changes nothing; an `archive.retention` entry deletes its transfers' rows from before it. Must not
// decide what to archive (project-events does) nor move the position.
import type { Queryable } from '../../platform/database.js';
import type { ProjectedBatch, RetentionRow } from './project-events.js';

/** Year of an instant in Asia/Shanghai (UTC+8, no daylight saving): the regulatory year (Provisions 2024 art. 7). */
const shanghaiYearSql = (column: string) => `extract(year FROM ${column} AT TIME ZONE 'Asia/Shanghai')::int`;

/** The tables holding a transfer's own rows, each keyed by the ledger index that wrote the row. */
export const perTransferTables = [
  'transfer_reasons',
  'checks',
  'decisions',
  'deliveries',
  'volume_commits',
] as const;

export async function writeBatch(tx: Queryable, batch: ProjectedBatch): Promise<void> {
  const {
    entries,
    transfers,
    patches,
    reasons,
    checks,
    decisions,
    deliveries,
    registry,
    volumes,
    retentions,
  } = batch;
  if (entries.length > 0) {
    await tx.query(
      `INSERT INTO ledger_entries (ledger_index, type, at, transfer_id, leaf)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::bytea[])
       ON CONFLICT (ledger_index) DO NOTHING`,
      [
        entries.map((e) => e.index),
        entries.map((e) => e.type),
        entries.map((e) => e.at),
        entries.map((e) => e.transferId) as string[],
        // pg sends a bytea[] from hex literals; Buffers inside arrays are not encoded by the driver.
        entries.map((e) => `\\x${e.leaf.toString('hex')}`),
      ],
    );
  }
  if (transfers.length > 0) {
    await tx.query(
      `INSERT INTO transfers (transfer_id, exporter_id, business_type, partner_id, endpoint_id, destination_country,
         data_categories, declared_individuals, declared_sensitive, bytes, payload_sha256, status, submitted_at,
         status_at, submitted_index, last_index)
       SELECT t.id, t.exporter, t.business, t.partner, t.endpoint, t.country,
         ARRAY(SELECT jsonb_array_elements_text(t.categories)), t.declared, t.sensitive, t.bytes, t.sha,
         'checking', t.at, t.at, t.idx, t.idx
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[],
         $8::bigint[], $9::bigint[], $10::bigint[], $11::text[], $12::timestamptz[], $13::bigint[])
         AS t(id, exporter, business, partner, endpoint, country, categories, declared, sensitive, bytes, sha, at, idx)
       ON CONFLICT (transfer_id) DO NOTHING`,
      [
        transfers.map((t) => t.transferId),
        transfers.map((t) => t.exporterId),
        transfers.map((t) => t.businessType),
        transfers.map((t) => t.partnerId) as string[],
        transfers.map((t) => t.endpointId) as string[],
        transfers.map((t) => t.destinationCountry) as string[],
        transfers.map((t) => JSON.stringify(t.dataCategories)),
        transfers.map((t) => t.declaredIndividuals) as number[],
        transfers.map((t) => t.declaredSensitive) as number[],
        transfers.map((t) => t.bytes),
        transfers.map((t) => t.payloadSha256),
        transfers.map((t) => t.submittedAt),
        transfers.map((t) => t.index),
      ],
    );
  }
  if (patches.size > 0) {
    const list = [...patches.values()];
    const col = <K extends keyof (typeof list)[number]>(key: K) =>
      list.map((p) => p[key] ?? null) as string[];
    // Transfers whose receipt is in this batch and was not archived before: counted once into their year.
    const delivered = await tx.query<{ transfer_id: string }>(
      `WITH p AS (
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::timestamptz[], $5::text[], $6::text[],
           $7::text[], $8::timestamptz[], $9::text[], $10::timestamptz[])
           AS p(id, idx, status, status_at, tier, grade, policy, released_at, released_by, delivered_at)
       ), before AS (
         SELECT t.transfer_id, t.delivered_at IS NULL AS undelivered FROM transfers t JOIN p ON p.id = t.transfer_id
       )
       UPDATE transfers t SET
         last_index = p.idx,
         status = coalesce(p.status, t.status),
         status_at = coalesce(p.status_at, t.status_at),
         tier = coalesce(p.tier, t.tier),
         grade = coalesce(p.grade, t.grade),
         policy_version = coalesce(p.policy, t.policy_version),
         released_at = coalesce(p.released_at, t.released_at),
         released_by = coalesce(p.released_by, t.released_by),
         delivered_at = coalesce(t.delivered_at, p.delivered_at)
       FROM p JOIN before b ON b.transfer_id = p.id
       WHERE t.transfer_id = p.id AND t.last_index < p.idx
       RETURNING t.transfer_id, b.undelivered AND p.delivered_at IS NOT NULL AS newly_delivered`,
      [
        col('transferId'),
        list.map((p) => p.lastIndex),
        col('status'),
        col('statusAt'),
        col('tier'),
        col('grade'),
        col('policyVersion'),
        col('releasedAt'),
        col('releasedBy'),
        col('deliveredAt'),
      ],
    );
    const newly = (delivered as Array<{ transfer_id: string; newly_delivered: boolean }>)
      .filter((r) => r.newly_delivered)
      .map((r) => r.transfer_id);
    if (newly.length > 0) {
      await tx.query(
        `INSERT INTO exporter_years (exporter_id, year, transfers, bytes)
         SELECT exporter_id, ${shanghaiYearSql('delivered_at')}, count(*), sum(bytes)
         FROM transfers WHERE transfer_id = ANY($1::text[]) GROUP BY 1, 2
         ON CONFLICT (exporter_id, year) DO UPDATE SET
           transfers = exporter_years.transfers + excluded.transfers,
           bytes = exporter_years.bytes + excluded.bytes`,
        [newly],
      );
    }
  }
  if (reasons.length > 0) {
    await tx.query(
      `INSERT INTO transfer_reasons (ledger_index, code, transfer_id, stage)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
      [
        reasons.map((r) => r.index),
        reasons.map((r) => r.code),
        reasons.map((r) => r.transferId),
        reasons.map((r) => r.stage),
      ],
    );
  }
  if (checks.length > 0) {
    await tx.query(
      `INSERT INTO checks (ledger_index, transfer_id, check_name, ok, reasons, at)
       SELECT c.idx, c.id, c.name, c.ok, ARRAY(SELECT jsonb_array_elements_text(c.reasons)), c.at
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::boolean[], $5::jsonb[], $6::timestamptz[])
         AS c(idx, id, name, ok, reasons, at)
       ON CONFLICT DO NOTHING`,
      [
        checks.map((c) => c.index),
        checks.map((c) => c.transferId),
        checks.map((c) => c.check),
        checks.map((c) => String(c.ok)),
        checks.map((c) => JSON.stringify(c.reasons)),
        checks.map((c) => c.at),
      ],
    );
  }
  if (decisions.length > 0) {
    await tx.query(
      `INSERT INTO decisions (ledger_index, transfer_id, reviewer_hash, decision, status, at)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
       ON CONFLICT DO NOTHING`,
      [
        decisions.map((d) => d.index),
        decisions.map((d) => d.transferId),
        decisions.map((d) => d.reviewerHash) as string[],
        decisions.map((d) => d.decision),
        decisions.map((d) => d.status) as string[],
        decisions.map((d) => d.at),
      ],
    );
  }
  if (deliveries.length > 0) {
    await tx.query(
      `INSERT INTO deliveries (ledger_index, transfer_id, event, attempt, outcome, at)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::timestamptz[])
       ON CONFLICT DO NOTHING`,
      [
        deliveries.map((d) => d.index),
        deliveries.map((d) => d.transferId),
        deliveries.map((d) => d.event),
        deliveries.map((d) => d.attempt) as number[],
        deliveries.map((d) => d.outcome) as string[],
        deliveries.map((d) => d.at),
      ],
    );
  }
  if (registry.length > 0) {
    await tx.query(
      `INSERT INTO registry_changes (ledger_index, kind, record_id, exporter_id, body, at)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[])
       ON CONFLICT DO NOTHING`,
      [
        registry.map((r) => r.index),
        registry.map((r) => r.kind),
        registry.map((r) => r.recordId) as string[],
        registry.map((r) => r.exporterId) as string[],
        registry.map((r) => r.body),
        registry.map((r) => r.at),
      ],
    );
  }
  const commits = volumes.filter((v) => v.transferId !== null);
  if (commits.length > 0) {
    await tx.query(
      `INSERT INTO volume_commits (ledger_index, transfer_id, exporter_id, year, individuals_ytd, sensitive_ytd)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::bigint[])
       ON CONFLICT DO NOTHING`,
      [
        commits.map((v) => v.index),
        commits.map((v) => v.transferId ?? ''),
        commits.map((v) => v.exporterId),
        commits.map((v) => v.year),
        commits.map((v) => v.individuals),
        commits.map((v) => v.sensitive),
      ],
    );
  }
  for (const v of volumes) {
    // Year-to-date counts only grow within a year; the largest recorded is the count (and a repeat is harmless).
    await tx.query(
      `INSERT INTO exporter_years (exporter_id, year, individuals, sensitive) VALUES ($1, $2, $3, $4)
       ON CONFLICT (exporter_id, year) DO UPDATE SET
         individuals = greatest(exporter_years.individuals, excluded.individuals),
         sensitive = greatest(exporter_years.sensitive, excluded.sensitive)`,
      [v.exporterId, v.year, v.individuals, v.sensitive],
    );
  }
  // Last, and only rows written before the event: the result is the same whatever the batch boundaries.
  for (const r of retentions) await applyRetention(tx, r);
}

async function applyRetention(tx: Queryable, r: RetentionRow): Promise<void> {
  for (const table of perTransferTables)
    await tx.query(`DELETE FROM ${table} WHERE transfer_id = ANY($1::text[]) AND ledger_index < $2`, [
      r.transferIds,
      r.index,
    ]);
  await tx.query('DELETE FROM transfers WHERE transfer_id = ANY($1::text[]) AND submitted_index < $2', [
    r.transferIds,
    r.index,
  ]);
  // The sweep wrote this decision before appending it (with the index once known); a replay writes it here.
  await tx.query(
    `INSERT INTO archive_retentions (event_id, cutoff, years, transfer_ids, rows, ledger_index)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (event_id) DO UPDATE SET ledger_index = coalesce(archive_retentions.ledger_index, excluded.ledger_index)`,
    [r.eventId, r.cutoff, r.years, r.transferIds, r.rows, r.index],
  );
}
