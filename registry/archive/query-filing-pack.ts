// registry/archive/query-filing-pack: reads from the archive what assembleFilingPack needs — the exporter's transfers
// released in the year (Asia/Shanghai, Provisions 2024 art. 7) under the route, those held now for want of a
// filing, whether a filing of that kind was ever registered, and the recipients' attestations. Read-only.
import type { Database } from '../../platform/database.js';
import type { FilingKind } from '../records.js';
import {
  assembleFilingPack,
  type FilingPack,
  type FilingPackAttestation,
  type FilingPackTransfer,
} from './assemble-filing-pack.js';

type TransferRow = {
  transfer_id: string;
  submitted_index: number;
  partner_id: string | null;
  destination_country: string | null;
  data_categories: string[];
  business_type: string;
  state: 'released' | 'held';
  individuals: number;
  sensitive: number;
  volume_indexes: number[];
  declared_individuals: number | null;
  declared_sensitive: number | null;
};

export async function queryFilingPack(
  db: Database,
  exporterId: string,
  kind: FilingKind,
  year: number,
): Promise<FilingPack> {
  // People per transfer as export-report.ts counts them: the rise of the exporter's exact year-to-date count.
  const rows = await db.query<TransferRow>(
    `WITH added AS (
       SELECT transfer_id, ledger_index,
         greatest(0, individuals_ytd - coalesce(max(individuals_ytd) OVER prior, 0)) AS individuals,
         greatest(0, sensitive_ytd - coalesce(max(sensitive_ytd) OVER prior, 0)) AS sensitive
       FROM volume_commits WHERE exporter_id = $1 AND year = $3
       WINDOW prior AS (ORDER BY ledger_index ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
     ), per_transfer AS (
       SELECT transfer_id, sum(individuals)::bigint AS individuals, sum(sensitive)::bigint AS sensitive,
         array_agg(ledger_index ORDER BY ledger_index) AS volume_indexes
       FROM added GROUP BY transfer_id
     )
     SELECT t.transfer_id, t.submitted_index, t.partner_id, t.destination_country, t.data_categories,
       t.business_type, CASE WHEN t.released_at IS NULL THEN 'held' ELSE 'released' END AS state,
       coalesce(a.individuals, 0)::bigint AS individuals, coalesce(a.sensitive, 0)::bigint AS sensitive,
       coalesce(a.volume_indexes, '{}') AS volume_indexes, t.declared_individuals, t.declared_sensitive
     FROM transfers t LEFT JOIN per_transfer a USING (transfer_id)
     WHERE t.exporter_id = $1 AND t.tier = $2 AND (
       (t.released_at IS NOT NULL AND extract(year FROM t.released_at AT TIME ZONE 'Asia/Shanghai') = $3)
       OR (t.status = 'held' AND EXISTS (SELECT 1 FROM transfer_reasons r WHERE r.transfer_id = t.transfer_id
                                         AND r.stage = 'held' AND r.code = 'R-EVID-FILING-MISSING')))
     ORDER BY t.submitted_index`,
    [exporterId, kind, year],
  );
  const [filed] = await db.query<{ filed: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM registry_changes WHERE kind = 'filing' AND exporter_id = $1
                    AND body->>'kind' = $2) AS filed`,
    [exporterId, kind],
  );
  const attestations = await db.query<{
    record_id: string;
    ledger_index: number;
    partner_id: string | null;
    storage_country: string | null;
    retention_days: string | null;
    expires_at: string | null;
  }>(
    `SELECT record_id, ledger_index, body->>'partnerId' AS partner_id, body->>'storageCountry' AS storage_country,
       body->>'retentionDays' AS retention_days, body->>'expiresAt' AS expires_at
     FROM registry_changes WHERE kind = 'attestation' AND exporter_id = $1 AND record_id IS NOT NULL
     ORDER BY ledger_index`,
    [exporterId],
  );
  const transfers: FilingPackTransfer[] = rows.map((r) => ({
    transferId: r.transfer_id,
    submittedIndex: Number(r.submitted_index),
    partnerId: r.partner_id,
    destinationCountry: r.destination_country,
    dataCategories: r.data_categories,
    businessType: r.business_type,
    state: r.state,
    individuals: Number(r.individuals),
    sensitiveIndividuals: Number(r.sensitive),
    volumeIndexes: r.volume_indexes.map(Number),
    declaredIndividuals: r.declared_individuals === null ? null : Number(r.declared_individuals),
    declaredSensitive: r.declared_sensitive === null ? null : Number(r.declared_sensitive),
  }));
  const attested: FilingPackAttestation[] = attestations.flatMap((a) =>
    a.partner_id === null
      ? []
      : [
          {
            attestationId: a.record_id,
            ledgerIndex: Number(a.ledger_index),
            partnerId: a.partner_id,
            storageCountry: a.storage_country,
            retentionDays: a.retention_days === null ? null : Number(a.retention_days),
            expiresAt: a.expires_at,
          },
        ],
  );
  return assembleFilingPack({
    exporterId,
    kind,
    year,
    firstFiling: filed?.filed !== true,
    transfers,
    attestations: attested,
  });
}
